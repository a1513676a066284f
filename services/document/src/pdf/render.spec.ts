import { pdfFonts, pdfToText } from '../../test/support/pdf-text.js';
import type { RegistrationConfirmationContent, VehicleRecordContent } from '../domain/move.js';
import { checkFonts, defaultFonts } from './fonts.js';
import { PdfRenderer } from './render.js';

const renderer = new PdfRenderer({
  fonts: checkFonts(defaultFonts()),
  authority: {
    name: 'Stadt Leipzig',
    registrationOffice: 'Bürgerservice – Meldebehörde',
    vehicleOffice: 'Bürgerservice – Kfz-Zulassungsbehörde',
  },
  verificationUrl: (code) => `https://buergerservice.example/pruefen?code=${code}`,
});

const address = {
  street: 'Georg-Schumann-Straße',
  houseNumber: '12',
  houseNumberSuffix: 'a',
  addressAddition: 'Hinterhaus',
  postalCode: '04155',
  municipality: 'Leipzig',
  countryCode: 'DE',
};
const meta = {
  documentNumber: 'MB-2026-0000042-5',
  verificationCode: '7K3M-9QXR-4TBD-EF2H',
  // 23:30 UTC = 00:30 the next day in Berlin: the printed date is the Berlin one.
  issuedAt: new Date('2026-02-28T23:30:00Z'),
};

/** pdftotext -layout keeps the line structure; collapse runs of blanks for matching. */
const flat = (text: string) => text.replace(/[ \t]+/g, ' ');

describe('PDF rendering', () => {
  it('writes a Meldebestätigung whose text an independent tool reads, including ı, ş, ß and umlauts', async () => {
    const content: RegistrationConfirmationContent = {
      kind: 'registration-confirmation',
      name: { familyName: 'Yılmaz', givenNames: 'Ayşe Gül', doctoralDegree: 'Dr.' },
      moveKind: 'into-city',
      address,
      moveInDate: '2026-02-15',
      residenceType: 'main',
    };
    const pdf = await renderer.render(content, meta);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // Far below MongoDB's 16 MB document limit (see README: why no GridFS).
    expect(pdf.length).toBeLessThan(100_000);
    const text = flat(pdfToText(pdf));
    expect(text).toContain('Meldebestätigung');
    expect(text).toContain('§ 24 Absatz 2 Bundesmeldegesetz');
    expect(text).toContain('Anmeldung');
    expect(text).toContain('Yılmaz');
    expect(text).toContain('Ayşe Gül');
    expect(text).toContain('Dr.');
    expect(text).toContain('Georg-Schumann-Straße 12a');
    expect(text).toContain('Hinterhaus');
    expect(text).toContain('04155 Leipzig');
    expect(text).toContain('Hauptwohnung');
    expect(text).toContain('Tag des Einzugs: 15.02.2026');
    expect(text).toContain('Stadt Leipzig, Bürgerservice – Meldebehörde');
    expect(text).toContain('Datum der Ausstellung: 01.03.2026');
    expect(text).toContain('Dokumentnummer: MB-2026-0000042-5');
    expect(text).toContain('Prüfcode: 7K3M-9QXR-4TBD-EF2H');
    expect(text).toContain('https://buergerservice.example/pruefen?code=7K3M-9QXR-4TBD-EF2H');
  });

  it('embeds the font (subset) instead of relying on the reader’s Helvetica', async () => {
    const pdf = await renderer.render(
      {
        kind: 'registration-confirmation',
        name: { familyName: 'Müller', givenNames: 'Jonas', doctoralDegree: '' },
        moveKind: 'within-city',
        address,
        moveInDate: '2026-03-01',
        residenceType: 'secondary',
      },
      meta,
    );
    const fonts = pdfFonts(pdf);
    expect(fonts).toMatch(/DejaVuSans\s/);
    expect(fonts).toMatch(/DejaVuSans-Bold/);
    // Every font line says "yes" in the emb(edded) column.
    const rows = fonts
      .split('\n')
      .slice(2)
      .filter((l) => l.trim());
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/CID TrueType\s+Identity-H\s+yes\s+yes/);
    const text = flat(pdfToText(pdf));
    expect(text).toContain('Ummeldung');
    expect(text).toContain('Nebenwohnung');
    expect(text).not.toContain('Doktorgrad');
  });

  it('writes the vehicle record with plate, holder and new holder address', async () => {
    const content: VehicleRecordContent = {
      kind: 'vehicle-registration-record',
      name: { familyName: 'Müller', givenNames: 'Anna', doctoralDegree: '' },
      plate: 'L-AM 2026',
      address,
      moveInDate: '2026-03-01',
      previousRegistrationDistrict: 'Leipzig',
      newRegistrationDistrict: 'Leipzig',
    };
    const text = flat(pdfToText(await renderer.render(content, { ...meta, documentNumber: 'FZ-2026-0000001-7' })));
    expect(text).toContain('Fahrzeugdaten: neue Halteranschrift');
    expect(text).toContain('Kennzeichen: L-AM 2026');
    expect(text).toContain('Müller');
    expect(text).toContain('Georg-Schumann-Straße 12a');
    expect(text).toContain('Gültig ab: 01.03.2026');
    expect(text).toContain('Kfz-Zulassungsbehörde');
    expect(text).toContain('FZ-2026-0000001-7');
  });

  it('names the move abroad as an Abmeldung with the day of moving out', async () => {
    const text = flat(
      pdfToText(
        await renderer.render(
          {
            kind: 'registration-confirmation',
            name: { familyName: 'Nowak', givenNames: 'Piotr', doctoralDegree: '' },
            moveKind: 'abroad',
            address: {
              ...address,
              street: 'ul. Długa',
              houseNumber: '5',
              houseNumberSuffix: '',
              addressAddition: '',
              postalCode: '00-238',
              municipality: 'Warszawa',
              countryCode: 'PL',
            },
            moveInDate: '2026-04-01',
            residenceType: 'unspecified',
          },
          meta,
        ),
      ),
    );
    expect(text).toContain('Abmeldung');
    expect(text).toContain('Tag des Auszugs: 01.04.2026');
    expect(text).toContain('ul. Długa 5');
    expect(text).toContain('00-238 Warszawa');
    expect(text).not.toContain('Wohnungsstatus');
  });
});
