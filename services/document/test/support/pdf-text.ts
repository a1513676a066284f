import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Extracts the text of a PDF with poppler's `pdftotext` — a tool independent
 * of the library that wrote the PDF, so the test sees what a reader sees.
 * Needs the Debian package poppler-utils; without it the test fails (it is
 * not skipped) with this explanation.
 */
export function pdfToText(pdf: Buffer): string {
  return withTempFile(pdf, (file) => run('pdftotext', ['-enc', 'UTF-8', '-layout', file, '-']));
}

/** The fonts of a PDF as `pdffonts` lists them (name, type, embedded, subset …). */
export function pdfFonts(pdf: Buffer): string {
  return withTempFile(pdf, (file) => run('pdffonts', [file]));
}

function withTempFile<T>(pdf: Buffer, fn: (file: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'document-pdf-'));
  const file = path.join(dir, 'document.pdf');
  try {
    writeFileSync(file, pdf);
    return fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(tool: string, args: string[]): string {
  try {
    return execFileSync(tool, args, { encoding: 'utf8', timeout: 30_000 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `${tool} is missing: install the Debian package poppler-utils (apt-get install -y poppler-utils)`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}
