import { normalisePlate, parsePlate } from './plate.js';

describe('licence plates', () => {
  it.each([
    ['L-AB 1234', 'L-AB 1234'],
    ['L-A 1', 'L-A 1'],
    ['DD-XY 9999', 'DD-XY 9999'],
    ['HAL-A 12', 'HAL-A 12'],
    ['L-XY 12E', 'L-XY 12E'],
    ['B-MW 1234H', 'B-MW 1234H'],
    ['LÖ-AB 123', 'LÖ-AB 123'],
    ['MÜ-Z 7', 'MÜ-Z 7'],
  ])('accepts the written form %s', (input, text) => {
    expect(normalisePlate(input)).toBe(text);
  });

  it.each([
    ['l-ab 1234', 'L-AB 1234'],
    ['  L-AB 1234  ', 'L-AB 1234'],
    ['L - AB 1234', 'L-AB 1234'],
    ['L-AB  1234', 'L-AB 1234'],
    ['L AB 1234', 'L-AB 1234'],
    ['L-AB1234', 'L-AB 1234'],
    ['lö-ab 12e', 'LÖ-AB 12E'],
  ])('normalises the way people type %j', (input, text) => {
    expect(normalisePlate(input)).toBe(text);
  });

  it('splits the plate into its parts', () => {
    expect(parsePlate('L-XY 12E')).toEqual({
      ok: true,
      plate: { district: 'L', letters: 'XY', number: '12', suffix: 'E', text: 'L-XY 12E' },
    });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['LABC-AB 1234', 'format'], // district code of four letters
    ['L-ABC 1234', 'format'], // three letters
    ['L-AB 12345', 'format'], // five digits
    ['L-AB 0', 'format'], // numbers start at 1
    ['L-AB 0123', 'format'], // no leading zero
    ['L-Ä 12', 'format'], // no umlauts in the identification letters
    ['L-AB 12X', 'format'], // only E and H are suffixes
    ['L-AB 12EH', 'format'],
    ['L- 1234', 'format'], // letters missing
    ['L-AB', 'format'], // number missing
    ['LAB 1234', 'format'], // district and letters cannot be told apart
    ['1-AB 1234', 'format'],
    ['L_AB 1234', 'format'],
    ['HAL-AB 1234', 'too-long'], // 3 + 2 + 4 = 9 characters
    ['HAL-AB 1234E', 'too-long'],
  ])('rejects %j (%s)', (input, problem) => {
    expect(parsePlate(input)).toEqual({ ok: false, problem });
  });

  it('allows exactly eight characters besides the suffix', () => {
    expect(normalisePlate('HAL-AB 123')).toBe('HAL-AB 123');
    expect(normalisePlate('HAL-AB 123H')).toBe('HAL-AB 123H');
    expect(normalisePlate('HA-AB 1234')).toBe('HA-AB 1234');
  });
});
