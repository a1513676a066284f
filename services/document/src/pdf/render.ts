import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { berlinDate, germanDate } from '../domain/calendar.js';
import type { PersonName } from '../domain/document.js';
import type { PrintedContent, RegistrationConfirmationContent, VehicleRecordContent } from '../domain/move.js';
import type { PdfFonts } from './fonts.js';
import { addressLines, moveKindText, residenceTypeText } from './layout.js';

export interface IssuingAuthority {
  /** e.g. "Stadt Leipzig". */
  name: string;
  /** Office that issues registration confirmations, e.g. "Bürgerservice – Meldebehörde". */
  registrationOffice: string;
  /** Office that keeps the vehicle register, e.g. "Bürgerservice – Kfz-Zulassungsbehörde". */
  vehicleOffice: string;
}

export interface PrintMeta {
  documentNumber: string;
  verificationCode: string;
  issuedAt: Date;
}

export interface PdfRendererOptions {
  fonts: PdfFonts;
  authority: IssuingAuthority;
  /** The address printed (and put in the QR code) where the code can be checked, e.g. "https://…/pruefen?code=CODE". */
  verificationUrl: (code: string) => string;
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 60;
const LABEL_WIDTH = 150;

/**
 * Renders documents as PDF/A4 in German. The text is real text (not an
 * image), so screen readers and `pdftotext` read it; the QR code carries the
 * verification address with the code.
 */
export class PdfRenderer {
  /**
   * The fonts, parsed once: pdfkit would read and parse the TrueType files
   * for every document, which was most of a document's CPU time (~55 ms).
   */
  private readonly fonts: Record<keyof PdfFonts, PDFKit.Mixins.PDFFontSource>;

  constructor(private readonly options: PdfRendererOptions) {
    // pdfkit takes a parsed fontkit font where it takes a file (its types do not say so).
    const parse = (file: string) => fontkit.create(readFileSync(file)) as unknown as PDFKit.Mixins.PDFFontSource;
    this.fonts = { regular: parse(options.fonts.regular), bold: parse(options.fonts.bold) };
  }

  async render(content: PrintedContent, meta: PrintMeta): Promise<Buffer> {
    const qr = await QRCode.toBuffer(this.options.verificationUrl(meta.verificationCode), {
      type: 'png',
      errorCorrectionLevel: 'M',
      margin: 1,
      scale: 4,
    });
    const title = content.kind === 'registration-confirmation' ? 'Meldebestätigung' : 'Fahrzeugdaten: Halteranschrift';
    const doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      lang: 'de-DE',
      displayTitle: true,
      info: {
        Title: `${title} ${meta.documentNumber}`,
        Author: this.options.authority.name,
        Creator: 'Bürgerservice document service',
        CreationDate: meta.issuedAt,
      },
    });
    const chunks: Buffer[] = [];
    const done = new Promise<Buffer>((resolve, reject) => {
      doc.on('data', (chunk: Buffer) => chunks.push(chunk));
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });
    doc.registerFont('regular', this.fonts.regular);
    doc.registerFont('bold', this.fonts.bold);

    if (content.kind === 'registration-confirmation') this.registrationConfirmation(doc, content);
    else this.vehicleRecord(doc, content);
    this.footer(doc, meta, qr, content.kind === 'registration-confirmation');
    doc.end();
    return done;
  }

  private header(doc: PDFKit.PDFDocument, office: string, title: string, subtitle: string): void {
    doc.font('bold').fontSize(12).text(this.options.authority.name);
    doc.font('regular').fontSize(10).text(office);
    doc.moveDown(2);
    doc.font('bold').fontSize(20).text(title);
    doc.font('regular').fontSize(10).text(subtitle);
    doc.moveDown(1.5);
  }

  private row(doc: PDFKit.PDFDocument, label: string, value: string | string[]): void {
    const y = doc.y;
    doc.font('regular').fontSize(10).text(`${label}:`, MARGIN, y, { width: LABEL_WIDTH });
    const lines = Array.isArray(value) ? value : [value];
    doc
      .font('bold')
      .fontSize(11)
      .text(lines.join('\n'), MARGIN + LABEL_WIDTH, y, {
        width: A4.width - 2 * MARGIN - LABEL_WIDTH,
      });
    doc.moveDown(0.6);
    doc.x = MARGIN;
  }

  private nameRows(doc: PDFKit.PDFDocument, name: PersonName): void {
    this.row(doc, 'Familienname', name.familyName);
    this.row(doc, 'Vornamen', name.givenNames);
    if (name.doctoralDegree) this.row(doc, 'Doktorgrad', name.doctoralDegree);
  }

  private registrationConfirmation(doc: PDFKit.PDFDocument, content: RegistrationConfirmationContent): void {
    const { act, dateLabel } = moveKindText(content.moveKind);
    this.header(
      doc,
      this.options.authority.registrationOffice,
      'Meldebestätigung',
      'nach § 24 Absatz 2 Bundesmeldegesetz (BMG)',
    );
    doc.font('regular').fontSize(11).text(`Die Meldebehörde bestätigt die ${act} der folgenden Person:`);
    doc.moveDown(1);
    this.nameRows(doc, content.name);
    this.row(
      doc,
      content.moveKind === 'abroad' ? 'Neue Anschrift (Ausland)' : 'Anschrift',
      addressLines(content.address),
    );
    if (content.moveKind !== 'abroad') this.row(doc, 'Wohnungsstatus', residenceTypeText(content.residenceType));
    this.row(doc, dateLabel, germanDate(content.moveInDate));
  }

  private vehicleRecord(doc: PDFKit.PDFDocument, content: VehicleRecordContent): void {
    this.header(
      doc,
      this.options.authority.vehicleOffice,
      'Fahrzeugdaten: neue Halteranschrift',
      'Aktualisierte Daten der Zulassungsbescheinigung Teil I (Halteranschrift nach Umzug)',
    );
    doc
      .font('regular')
      .fontSize(11)
      .text('Die Zulassungsbehörde hat die Anschrift der Halterin oder des Halters im Fahrzeugregister geändert:');
    doc.moveDown(1);
    this.row(doc, 'Kennzeichen', content.plate);
    this.nameRows(doc, content.name);
    this.row(doc, 'Neue Halteranschrift', addressLines(content.address));
    this.row(doc, 'Gültig ab', germanDate(content.moveInDate));
    if (content.previousRegistrationDistrict || content.newRegistrationDistrict) {
      this.row(
        doc,
        'Zulassungsbezirk',
        content.previousRegistrationDistrict === content.newRegistrationDistrict
          ? content.newRegistrationDistrict
          : `${content.previousRegistrationDistrict} → ${content.newRegistrationDistrict} (Kennzeichen bleibt)`,
      );
    }
    doc.moveDown(0.5);
    doc
      .font('regular')
      .fontSize(9)
      .text(
        'Bitte führen Sie diese Bestätigung mit der Zulassungsbescheinigung Teil I mit, bis die Anschrift dort berichtigt ist.',
      );
  }

  private footer(doc: PDFKit.PDFDocument, meta: PrintMeta, qr: Buffer, registration: boolean): void {
    const top = A4.height - MARGIN - 200;
    const qrSize = 110;
    doc.x = MARGIN;
    doc.y = top;
    doc
      .moveTo(MARGIN, top - 10)
      .lineTo(A4.width - MARGIN, top - 10)
      .lineWidth(0.5)
      .stroke();
    const office = registration ? this.options.authority.registrationOffice : this.options.authority.vehicleOffice;
    const textWidth = A4.width - 2 * MARGIN - qrSize - 20;
    const line = (label: string, value: string) => {
      doc.font('regular').fontSize(9).text(`${label}: `, { continued: true, width: textWidth });
      doc.font('bold').text(value, { width: textWidth });
    };
    line('Ausstellende Behörde', `${this.options.authority.name}, ${office}`);
    line('Datum der Ausstellung', germanDate(berlinDate(meta.issuedAt)));
    line('Dokumentnummer', meta.documentNumber);
    line('Prüfcode', meta.verificationCode);
    doc.moveDown(0.8);
    doc
      .font('regular')
      .fontSize(8)
      .text(
        'Dieses Dokument wurde maschinell erstellt und ist ohne Unterschrift gültig. Es ist elektronisch signiert ' +
          '(Ed25519). Die Echtheit können Sie mit dem Prüfcode oder dem QR-Code prüfen:',
        { width: textWidth },
      );
    doc.font('regular').fontSize(8).text(this.options.verificationUrl(meta.verificationCode), { width: textWidth });
    doc.image(qr, A4.width - MARGIN - qrSize, top, { width: qrSize, height: qrSize });
  }
}
