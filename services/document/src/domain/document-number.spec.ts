import fc from 'fast-check';
import {
  formatDocumentNumber,
  luhnCheckDigit,
  MAX_SEQUENCE,
  parseDocumentNumber,
  sequenceName,
} from './document-number.js';
import type { DocumentKind } from './document.js';
import { DomainError } from './errors.js';

const kinds: DocumentKind[] = [
  'registration-confirmation',
  'vehicle-registration-record',
  'id-card-address-sticker-order',
];

describe('document numbers', () => {
  it('has the Luhn digit of the well-known example', () => {
    // 7992739871 -> check digit 3 (the textbook Luhn example).
    expect(luhnCheckDigit('7992739871')).toBe(3);
  });

  it('formats with kind prefix, year, padded sequence and check digit', () => {
    expect(formatDocumentNumber('registration-confirmation', 2026, 42)).toMatch(/^MB-2026-0000042-\d$/);
    expect(formatDocumentNumber('vehicle-registration-record', 2026, 1)).toMatch(/^FZ-2026-0000001-\d$/);
    expect(formatDocumentNumber('id-card-address-sticker-order', 2027, MAX_SEQUENCE)).toMatch(/^AA-2027-9999999-\d$/);
  });

  it('rejects sequences and years out of range', () => {
    expect(() => formatDocumentNumber('registration-confirmation', 2026, 0)).toThrow(DomainError);
    expect(() => formatDocumentNumber('registration-confirmation', 2026, MAX_SEQUENCE + 1)).toThrow(DomainError);
    expect(() => formatDocumentNumber('registration-confirmation', 2026, 1.5)).toThrow(DomainError);
    expect(() => formatDocumentNumber('registration-confirmation', 99, 1)).toThrow(DomainError);
  });

  it('round-trips every number it formats', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 1, max: MAX_SEQUENCE }),
        (kind, year, sequence) => {
          expect(parseDocumentNumber(formatDocumentNumber(kind, year, sequence))).toEqual({ kind, year, sequence });
        },
      ),
    );
  });

  it('detects any single mistyped digit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_SEQUENCE }),
        fc.nat(10),
        fc.integer({ min: 1, max: 9 }),
        (seq, pos, delta) => {
          const number = formatDocumentNumber('registration-confirmation', 2026, seq);
          // Digit positions of "MB-2026-0000042-5": year 3..6, sequence 8..14, check 16.
          const positions = [3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14];
          const at = positions[pos] ?? 3;
          const digit = (Number(number[at]) + delta) % 10;
          const typo = `${number.slice(0, at)}${digit}${number.slice(at + 1)}`;
          expect(parseDocumentNumber(typo)).toBeUndefined();
        },
      ),
    );
  });

  it('rejects malformed numbers', () => {
    expect(parseDocumentNumber('')).toBeUndefined();
    expect(parseDocumentNumber('XX-2026-0000042-0')).toBeUndefined();
    expect(parseDocumentNumber('MB-2026-42-0')).toBeUndefined();
  });

  it('accepts lower case and surrounding blanks when parsing', () => {
    const number = formatDocumentNumber('registration-confirmation', 2026, 7);
    expect(parseDocumentNumber(` ${number.toLowerCase()} `)).toEqual({
      kind: 'registration-confirmation',
      year: 2026,
      sequence: 7,
    });
  });

  it('names one counter per kind and year', () => {
    expect(sequenceName('registration-confirmation', 2026)).toBe('MB-2026');
    expect(sequenceName('vehicle-registration-record', 2027)).toBe('FZ-2027');
  });
});
