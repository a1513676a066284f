// Smoke test of a running platform (`npm start`), through the web page in a
// real browser: signs in as a demo citizen with the development issuer,
// reports a move with the form (household member, car, documents, auto-booked
// appointment), follows the live status page until the bundle is complete and
// checks the same at GET /api/bundles/{id}; then revokes the move on the page
// and waits until every step is undone, so the smoke can run again (a person
// with a pending move cannot move again).
//
//   npm run smoke                       against http://127.0.0.1:8080
//   PORTAL_PORT=9080 npm run smoke      another port (or PORTAL_URL=http://127.0.0.1:9080)
//   npm run smoke -- --keep             leave the move in place (no revocation)
//
// Debian's chromium driven by playwright-core (never `npx playwright install`).
// Screenshots go to .run/smoke/. Loopback addresses only.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const resultsDir = path.join(root, '.run', 'smoke');
const portalUrl = new URL(process.env.PORTAL_URL ?? `http://127.0.0.1:${process.env.PORTAL_PORT ?? 8080}/`);
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const timeoutMs = Number(process.env.SMOKE_TIMEOUT_SECONDS ?? 180) * 1000;
const keep = process.argv.includes('--keep');
/** ENVIRONMENT.md: the flags Debian's chromium needs on the build machines. */
const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Anna Müller moves with Jonas and her car: every authority gets a step. */
const citizen = { name: 'Anna Müller', personId: 'P0000001', member: 'P0000002', car: 'L-AM 2026 – Volkswagen Golf' };
const newAddress = { street: 'Kochstraße', houseNumber: '20', postalCode: '04275' };

const startedAt = Date.now();
const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
const log = (message) => process.stdout.write(`[smoke ${elapsed().padStart(7)}] ${message}\n`);

function yesterdayInBerlin() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date(Date.now() - 86_400_000));
}

function requireLoopback(url) {
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(`the smoke test only talks to loopback addresses, not ${url.hostname}`);
  }
}

async function api(pathname, token) {
  const response = await fetch(new URL(pathname, portalUrl), {
    headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.json().catch(() => undefined);
  if (!response.ok) throw new Error(`GET ${pathname}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

function describeSteps(bundle) {
  return bundle.steps.map((s) => `${s.key}=${s.state}${s.reason ? `(${s.reason})` : ''}`).join(', ');
}

async function main() {
  requireLoopback(portalUrl);
  const config = await api('/api/config').catch((error) => {
    throw new Error(`the portal does not answer at ${portalUrl} — is \`npm start\` running?`, { cause: error });
  });
  if (!config.devIssuer) throw new Error('the portal runs without the development issuer: no demo sign-in');
  log(`portal ${portalUrl.href} answers; development issuer on`);

  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`no browser at ${chromiumPath}: apt-get install -y chromium (or set CHROMIUM to its path)`);
  }
  const { chromium } = require(require.resolve('playwright-core', { paths: [path.join(root, 'services/portal-gateway')] }));
  fs.mkdirSync(resultsDir, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'smoke-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
    viewport: { width: 1280, height: 900 },
  });
  // Nothing but the portal: a request anywhere else is refused and reported.
  const foreign = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin === portalUrl.origin || url.protocol === 'data:') return route.continue();
    foreign.push(url.href);
    return route.abort();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !/favicon/.test(message.text())) problems.push(message.text());
  });
  const shot = (name) => page.screenshot({ path: path.join(resultsDir, `${name}.png`), fullPage: true });

  try {
    await page.goto(portalUrl.href);
    await page.getByRole('button', { name: `Anmelden als ${citizen.name}` }).click();
    await page.getByRole('heading', { level: 1, name: 'Umzug melden' }).waitFor();
    log(`signed in as ${citizen.name} (${citizen.personId}) with the development issuer`);

    await page.getByLabel('Einzugsdatum').fill(yesterdayInBerlin());
    await page.getByLabel('Straße').fill(newAddress.street);
    await page.getByLabel('Hausnummer').fill(newAddress.houseNumber);
    await page.getByLabel('Postleitzahl').fill(newAddress.postalCode);
    await page.getByLabel('Nummer der Wohnungsgeberbestätigung').fill(`WGB-SMOKE-${Date.now() % 100_000}`);
    await page.getByLabel('Personenkennung 1').fill(citizen.member);
    await page.getByLabel(citizen.car).check();
    await page.getByLabel('Ich möchte einen Termin für den Adressaufkleber').check();
    await page.getByLabel('Frühesten passenden Termin automatisch buchen').check();
    await shot('01-form');

    await page.getByRole('button', { name: 'Umzug verbindlich melden' }).click();
    const submitted = await Promise.race([
      page
        .getByRole('heading', { level: 1, name: 'Stand Ihres Antrags' })
        .waitFor()
        .then(() => true),
      page
        .locator('.error-summary')
        .waitFor()
        .then(() => false),
    ]);
    if (!submitted) {
      await shot('01-form-refused');
      const summary = (await page.locator('.error-summary').textContent()) ?? '';
      throw new Error(
        `the portal refused the move: ${summary.replace(/\s+/g, ' ').trim()}\n` +
          '  (a move of an earlier run still pending? revoke it under "Meine Anträge")',
      );
    }
    const bundleId = decodeURIComponent(/#\/antraege\/([^/?]+)/.exec(page.url())?.[1] ?? '');
    if (!bundleId) throw new Error(`no bundle id in the status page's address ${page.url()}`);
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('buergerservice.session') ?? '{}').token);
    log(`submitted through the form: bundle ${bundleId}`);
    await shot('02-submitted');

    // Every requested step turns done on the page, without reload (live stream).
    const submittedAt = Date.now();
    await page.waitForFunction(
      () => {
        const steps = [...document.querySelectorAll('#steps li[data-step]')];
        return (
          document.querySelector('#steps')?.getAttribute('data-complete') === 'true' &&
          steps.length > 0 &&
          steps.every((s) => ['done', 'not-requested'].includes(s.getAttribute('data-state') ?? ''))
        );
      },
      undefined,
      { timeout: timeoutMs, polling: 250 },
    );
    const complete = await api(`/api/bundles/${encodeURIComponent(bundleId)}`, token);
    if (complete.status !== 'complete' || !complete.complete) {
      throw new Error(`the page shows complete, the API says ${complete.status}: ${describeSteps(complete)}`);
    }
    log(`complete after ${((Date.now() - submittedAt) / 1000).toFixed(1)} s — page and GET /api/bundles/{id} agree`);
    log(`  ${describeSteps(complete)}`);
    await shot('03-complete');

    if (!keep) {
      await page.getByRole('button', { name: 'Umzug widerrufen' }).click();
      await page.getByRole('button', { name: 'Ja, Umzug widerrufen' }).click();
      await page.waitForFunction(
        () =>
          document.querySelector('#steps')?.getAttribute('data-complete') === 'true' &&
          [...document.querySelectorAll('#steps li[data-step]')].every((s) =>
            ['revoked', 'not-requested'].includes(s.getAttribute('data-state') ?? ''),
          ),
        undefined,
        { timeout: timeoutMs, polling: 250 },
      );
      const revoked = await api(`/api/bundles/${encodeURIComponent(bundleId)}`, token);
      if (revoked.status !== 'revoked') throw new Error(`after the revocation the API says ${revoked.status}`);
      log(`revoked on the page; every authority undid its step (${describeSteps(revoked)})`);
      await shot('04-revoked');
    }

    if (foreign.length > 0) throw new Error(`the page requested other addresses: ${foreign.join(', ')}`);
    if (problems.length > 0) throw new Error(`errors in the browser console:\n  ${problems.join('\n  ')}`);
    log(`passed in ${elapsed()} (screenshots: ${path.relative(root, resultsDir)}/)`);
  } catch (error) {
    await shot('failure').catch(() => undefined);
    throw error;
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`\x1b[31msmoke failed:\x1b[0m ${error.message}\n`);
  if (error.cause) process.stderr.write(`  cause: ${error.cause.message ?? error.cause}\n`);
  process.stderr.write(`  screenshots: ${path.relative(root, resultsDir)}/\n`);
  process.exit(1);
});
