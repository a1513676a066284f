import fc from 'fast-check';
import { CODE_ALPHABET, CODE_BITS, generateVerificationCode, normalizeVerificationCode } from './verification-code.js';

describe('verification codes', () => {
  it('carries at least 80 random bits in four groups of four', () => {
    expect(CODE_BITS).toBeGreaterThanOrEqual(80);
    const code = generateVerificationCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  });

  it('maps every bit of the random input into the code (all zero and all one bytes)', () => {
    expect(generateVerificationCode((n) => new Uint8Array(n))).toBe('0000-0000-0000-0000');
    expect(generateVerificationCode((n) => new Uint8Array(n).fill(255))).toBe('ZZZZ-ZZZZ-ZZZZ-ZZZZ');
    // 0x08 0x42 ... : the first 5 bits 00001 -> "1", the next 5 bits 00001 -> "1".
    const bytes = Uint8Array.from([0b00001000, 0b01000000, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(generateVerificationCode(() => bytes)).toBe('1100-0000-0000-0000');
  });

  it('is injective over its random input', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 10, maxLength: 10 }),
        fc.uint8Array({ minLength: 10, maxLength: 10 }),
        (a, b) => {
          const same = Buffer.from(a).equals(Buffer.from(b));
          expect(generateVerificationCode(() => a) === generateVerificationCode(() => b)).toBe(same);
        },
      ),
    );
  });

  it('differs between calls', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => generateVerificationCode()));
    expect(codes.size).toBe(1000);
  });

  it('reads codes as people type them', () => {
    expect(normalizeVerificationCode('7k3m 9qxr 4tbd ef2h')).toBe('7K3M-9QXR-4TBD-EF2H');
    expect(normalizeVerificationCode('7K3M9QXR4TBDEF2H')).toBe('7K3M-9QXR-4TBD-EF2H');
    expect(normalizeVerificationCode('OOOO-IIII-LLLL-0000')).toBe('0000-1111-1111-0000');
  });

  it('rejects what cannot be a code', () => {
    expect(normalizeVerificationCode('')).toBeUndefined();
    expect(normalizeVerificationCode('7K3M-9QXR-4TBD-EF2')).toBeUndefined();
    expect(normalizeVerificationCode('7K3M-9QXR-4TBD-EF2HX')).toBeUndefined();
    expect(normalizeVerificationCode('7K3M-9QXR-4TBD-EF2U')).toBeUndefined();
    expect(normalizeVerificationCode('7K3M-9QXR-4TBD-EF2!')).toBeUndefined();
  });

  it('normalises every generated code to itself', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 10, maxLength: 10 }), (bytes) => {
        const code = generateVerificationCode(() => bytes);
        expect(normalizeVerificationCode(code)).toBe(code);
        expect(normalizeVerificationCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code);
      }),
    );
    expect(CODE_ALPHABET).toHaveLength(32);
  });
});
