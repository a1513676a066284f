import { randomBytes } from 'node:crypto';

/**
 * Verification codes are printed on a document and typed in by a landlord or
 * a bank, so they use Crockford's base-32 alphabet: digits and capitals
 * without I, L, O and U (no 1/I/L or 0/O confusion, no accidental words).
 * 16 symbols × 5 bits = 80 random bits: guessing a valid code among even a
 * hundred million issued ones takes ~10^16 tries on average. Shown in groups
 * of four: "7K3M-9QXR-4TBD-EF2H".
 */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 16;
export const CODE_BITS = CODE_LENGTH * 5;

/** Source of random bytes; injected so tests can pin it. */
export type RandomBytes = (size: number) => Uint8Array;

/** A fresh random verification code, grouped for printing. */
export function generateVerificationCode(random: RandomBytes = randomBytes): string {
  const bytes = random(CODE_BITS / 8);
  let bits = 0;
  let buffered = 0;
  let symbols = '';
  for (const byte of bytes) {
    buffered = (buffered << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      symbols += CODE_ALPHABET[(buffered >> bits) & 31];
    }
    buffered &= (1 << bits) - 1;
  }
  return formatVerificationCode(symbols);
}

function formatVerificationCode(symbols: string): string {
  return symbols.match(/.{1,4}/g)?.join('-') ?? symbols;
}

/**
 * Reads a code as a person typed it: case, blanks and hyphens do not matter,
 * and the letters Crockford reserves for look-alikes are read as the digits
 * they resemble (O -> 0, I/L -> 1). Returns the grouped canonical form, or
 * undefined when it cannot be a code at all.
 */
export function normalizeVerificationCode(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (compact.length !== CODE_LENGTH) return undefined;
  for (const symbol of compact) if (!CODE_ALPHABET.includes(symbol)) return undefined;
  return formatVerificationCode(compact);
}
