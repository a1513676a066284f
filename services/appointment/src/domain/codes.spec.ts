import { bookingCode, CODE_ALPHABET, invitationCode } from './codes.js';

describe('codes', () => {
  it('have the readable shapes and leave out look-alike characters', () => {
    const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => i * 37);
    expect(bookingCode(bytes)).toMatch(/^[2-9A-HJ-NP-Z]{3}-[2-9A-HJ-NP-Z]{3}$/);
    expect(invitationCode(bytes)).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(CODE_ALPHABET).toHaveLength(32);
    expect(CODE_ALPHABET).not.toMatch(/[01IO]/);
  });
});
