import type { DocumentKind } from './document.js';
import { DomainError } from './errors.js';

/**
 * Document numbers are printed and read aloud on the phone, so they are short,
 * say what the document is, and carry a check digit that catches a mistyped
 * digit or two swapped neighbours: "MB-2026-0000042-5".
 *
 * The sequence counts per kind and calendar year of issue (Berlin). Numbers
 * are unique and increasing, not gapless: a number drawn for a document that
 * another delivery of the same event created first stays unused.
 */
export const DOCUMENT_NUMBER_PREFIX: Readonly<Record<DocumentKind, string>> = {
  // Meldebestätigung
  'registration-confirmation': 'MB',
  // Fahrzeugdaten (Zulassungsbescheinigung)
  'vehicle-registration-record': 'FZ',
  // Adressaufkleber Personalausweis
  'id-card-address-sticker-order': 'AA',
};

export const MAX_SEQUENCE = 9_999_999;

const PATTERN = /^(MB|FZ|AA)-(\d{4})-(\d{7})-(\d)$/;

/** Luhn check digit over a string of decimal digits. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  // Double every second digit from the right, starting with the rightmost
  // one (the check digit will stand to its right).
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = Number(digits[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function formatDocumentNumber(kind: DocumentKind, year: number, sequence: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new DomainError('invalid-document-number', `year out of range: ${year}`);
  }
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_SEQUENCE) {
    throw new DomainError('invalid-document-number', `sequence out of range: ${sequence}`);
  }
  const seq = String(sequence).padStart(7, '0');
  return `${DOCUMENT_NUMBER_PREFIX[kind]}-${year}-${seq}-${luhnCheckDigit(`${year}${seq}`)}`;
}

export interface ParsedDocumentNumber {
  kind: DocumentKind;
  year: number;
  sequence: number;
}

/** Parses a document number; undefined when it is malformed or its check digit is wrong. */
export function parseDocumentNumber(value: string): ParsedDocumentNumber | undefined {
  const match = PATTERN.exec(value.trim().toUpperCase());
  if (!match) return undefined;
  const [, prefix, year, seq, check] = match as unknown as [string, string, string, string, string];
  if (luhnCheckDigit(`${year}${seq}`) !== Number(check)) return undefined;
  const kind = (Object.keys(DOCUMENT_NUMBER_PREFIX) as DocumentKind[]).find(
    (k) => DOCUMENT_NUMBER_PREFIX[k] === prefix,
  );
  if (!kind) return undefined;
  return { kind, year: Number(year), sequence: Number(seq) };
}

/** The counter a number is drawn from: one per kind and year. */
export function sequenceName(kind: DocumentKind, year: number): string {
  return `${DOCUMENT_NUMBER_PREFIX[kind]}-${year}`;
}
