import { isCertificateNumber, isDistrictCode, isMakeOrModel, isPersonId } from './identifiers.js';

describe('identifiers', () => {
  it('person ids are short opaque tokens', () => {
    expect(isPersonId('P0000001')).toBe(true);
    expect(isPersonId('person-1')).toBe(true);
    expect(isPersonId('')).toBe(false);
    expect(isPersonId('-P1')).toBe(false);
    expect(isPersonId('P 1')).toBe(false);
    expect(isPersonId('P'.repeat(64))).toBe(true);
    expect(isPersonId('P'.repeat(65))).toBe(false);
  });

  it('district codes are one to three capital letters', () => {
    for (const code of ['L', 'DD', 'HAL', 'LÖ']) expect(isDistrictCode(code)).toBe(true);
    for (const code of ['', 'l', 'LEIP', 'L1', 'L-']) expect(isDistrictCode(code)).toBe(false);
  });

  it('certificate numbers are a letter prefix and a serial number', () => {
    expect(isCertificateNumber('AB0992026')).toBe(true);
    expect(isCertificateNumber('AB1000000')).toBe(true);
    expect(isCertificateNumber('A123456')).toBe(true);
    expect(isCertificateNumber('AB12345')).toBe(false);
    expect(isCertificateNumber('ab1234567')).toBe(false);
    expect(isCertificateNumber('1234567')).toBe(false);
    expect(isCertificateNumber('ABCD1234567')).toBe(false);
  });

  it('make and model are bounded free text', () => {
    expect(isMakeOrModel('Škoda')).toBe(true);
    expect(isMakeOrModel('ID.3')).toBe(true);
    expect(isMakeOrModel('  ')).toBe(false);
    expect(isMakeOrModel('x'.repeat(61))).toBe(false);
    expect(isMakeOrModel('Golf\n')).toBe(true); // trimmed
    expect(isMakeOrModel('Go\u0007lf')).toBe(false);
  });
});
