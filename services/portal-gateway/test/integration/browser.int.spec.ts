/// <reference lib="dom" />
// (The callbacks passed to page.evaluate run in the browser.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OtlpReceiver } from '@buergerservice/testing';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { type OwnInfra, type RunningPlatform, startOwnInfra, startPlatform } from './platform.js';

/**
 * The citizen's page in real Chromium (Debian's package, driven by
 * playwright-core) against the five services as processes: sign in with the
 * development issuer, fill the form (client-side validation first), submit,
 * watch every step turn done without a reload, download the registration
 * confirmation, switch to English. Screenshots go to test-results/.
 */

const RESULTS = path.resolve(__dirname, '../../test-results');
const CHROMIUM = '/usr/bin/chromium';
/** ENVIRONMENT.md: the flags Debian's chromium needs on the build machines. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function yesterday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date(Date.now() - 86_400_000));
}

describe('the citizen’s page in Chromium', () => {
  let infra: OwnInfra;
  let receiver: OtlpReceiver;
  let platform: RunningPlatform;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  const cspViolations: string[] = [];

  const shot = (name: string) => page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    fs.mkdirSync(RESULTS, { recursive: true });
    receiver = new OtlpReceiver();
    const otlpEndpoint = await receiver.start();
    infra = await startOwnInfra();
    platform = await startPlatform({ infra, otlpEndpoint });
    // A fresh profile per run (launchPersistentContext owns --user-data-dir).
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      acceptDownloads: true,
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
      viewport: { width: 1280, height: 900 },
    });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  }, 900_000);

  afterAll(async () => {
    await context?.close();
    await platform?.stop();
    await infra?.stop();
    await receiver?.stop();
  }, 120_000);

  it('signs in, submits a move, follows every step to done, downloads the confirmation, speaks English', async () => {
    await page.goto(platform.gatewayUrl);
    await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
    await expectVisibleText(page, '#dev-banner', 'Entwicklungsmodus');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    await shot('01-anmelden');

    await page.getByRole('button', { name: 'Anmelden als Mehmet Yılmaz' }).click();
    await page.getByRole('heading', { level: 1, name: 'Umzug melden' }).waitFor();
    // The heading has the focus after navigating (screen readers start there).
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await page.getByText('Auf Sie ist kein Fahrzeug zugelassen.').waitFor();

    // Client-side validation, the same rules as the API: the form names each missing field.
    await page.getByLabel('Straße').fill('Coppistraße');
    await page.getByRole('button', { name: 'Umzug verbindlich melden' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    const summaryText = (await summary.textContent()) ?? '';
    expect(summaryText).toContain('Einzugsdatum');
    expect(summaryText).toContain('Postleitzahl');
    expect(await page.getByLabel('Postleitzahl').getAttribute('aria-invalid')).toBe('true');
    await shot('02-formular-fehler');

    await page.getByLabel('Einzugsdatum').fill(yesterday());
    await page.getByLabel('Hausnummer').fill('12');
    await page.getByLabel('Postleitzahl').fill('04157');
    await page.getByLabel('Nummer der Wohnungsgeberbestätigung').fill('WGB-2026-0815');
    // Mehmet has no vehicle: no vehicle record.
    await page.getByLabel('Nachweis der geänderten Fahrzeugdaten').uncheck();
    await page.getByLabel('Ich möchte einen Termin für den Adressaufkleber').check();
    await page.getByLabel('Frühesten passenden Termin automatisch buchen').check();
    await shot('03-formular');

    // Mark the document: if the page reloaded, the mark would be gone.
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    await page.getByRole('button', { name: 'Umzug verbindlich melden' }).click();
    await page.getByRole('heading', { level: 1, name: 'Stand Ihres Antrags' }).waitFor();
    await page.locator('#steps li[data-step]').first().waitFor();
    await shot('04-status-eingereicht');

    // Every requested step turns done through the live stream.
    await page.waitForFunction(
      () => {
        const list = document.querySelector('#steps');
        const steps = [...document.querySelectorAll('#steps li[data-step]')];
        return (
          list?.getAttribute('data-complete') === 'true' &&
          steps.length > 0 &&
          steps.every((s) => ['done', 'not-requested'].includes(s.getAttribute('data-state') ?? ''))
        );
      },
      undefined,
      { timeout: 180_000, polling: 250 },
    );
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    const states = await page.$$eval('#steps li[data-step]', (items) =>
      Object.fromEntries(items.map((li) => [li.getAttribute('data-step'), li.getAttribute('data-state')])),
    );
    expect(states).toEqual({
      registration: 'done',
      'registration-confirmation:P0000004': 'done',
      'id-card-sticker-order': 'done',
      appointment: 'done',
    });
    await expectVisibleText(page, '#bundle-status', 'Abgeschlossen');
    // Screen readers heard the changes (polite live region).
    const announced = (await page.locator('#announcer').textContent()) ?? '';
    expect(announced).toMatch(/erledigt/);
    await shot('05-status-abgeschlossen');

    // The registration confirmation as PDF.
    const step = page.locator('li[data-step="registration-confirmation:P0000004"]');
    const [download] = await Promise.all([page.waitForEvent('download'), step.getByRole('button').click()]);
    const file = path.join(RESULTS, 'meldebestaetigung.pdf');
    await download.saveAs(file);
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);

    // English.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Status of your request' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expectVisibleText(page, '#bundle-status', 'Complete');
    expect(await page.locator('li[data-step="registration"] [data-state-label]').textContent()).toBe('done');
    await page.getByRole('button', { name: 'Deutsch' }).waitFor();
    await shot('06-status-english');

    // My requests and documents, in English.
    await page.getByRole('link', { name: 'My documents' }).click();
    await page.getByRole('heading', { level: 1, name: 'My documents' }).waitFor();
    await page.getByText('Registration confirmation').first().waitFor();
    await shot('07-documents-english');

    expect(cspViolations).toEqual([]);
    expect(consoleErrors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });

  it('works on a phone: the form fits the screen and is usable by keyboard', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(platform.gatewayUrl);
    await phone.getByRole('heading', { level: 1 }).waitFor();
    // The skip link is the first stop of the keyboard.
    await phone.keyboard.press('Tab');
    expect(await phone.evaluate(() => document.activeElement?.id)).toBe('skip-link');
    // The language chosen before is remembered; back to German.
    await phone.getByRole('button', { name: 'Deutsch' }).click();
    await phone.getByRole('button', { name: 'Anmelden als Anna Müller' }).click();
    await phone.getByRole('heading', { level: 1, name: 'Umzug melden' }).waitFor();
    await phone.getByText('L-AM 2026 – Volkswagen Golf').waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // Keyboard only: the vehicle's checkbox is reached with Tab and ticked with Space.
    const car = phone.getByLabel('L-AM 2026 – Volkswagen Golf');
    await car.focus();
    await phone.keyboard.press('Space');
    expect(await car.isChecked()).toBe(true);
    await phone.screenshot({ path: path.join(RESULTS, '08-handy-formular.png'), fullPage: true });
    await phone.close();
  });
});

async function expectVisibleText(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).filter({ hasText: text }).waitFor({ state: 'visible' });
}
