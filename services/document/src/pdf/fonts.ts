import { existsSync } from 'node:fs';

/** The TrueType fonts embedded in every PDF. */
export interface PdfFonts {
  regular: string;
  bold: string;
}

/**
 * pdfkit's built-in Helvetica covers only WinAnsi: German umlauts and ß, but
 * not ı, ş, ğ, ł, ő … of names like "Yılmaz" or "Ayşe", which the register
 * holds. So the PDFs embed DejaVu Sans (subset: only the glyphs used), shipped
 * by the npm package dejavu-fonts-ttf (Bitstream Vera licence, free to embed
 * and redistribute) — the service does not depend on fonts of the host or the
 * container image. PDF_FONT_REGULAR / PDF_FONT_BOLD point elsewhere if wanted.
 */
export function defaultFonts(): PdfFonts {
  return {
    regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
    bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
  };
}

/** Fails at start-up rather than at the first document. */
export function checkFonts(fonts: PdfFonts): PdfFonts {
  for (const [style, file] of Object.entries(fonts)) {
    if (!existsSync(file)) throw new Error(`PDF font (${style}) not found: ${file}`);
  }
  return fonts;
}
