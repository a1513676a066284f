import { cityAddress, HOME, VIENNA_HOME } from '../testing/fixtures.js';
import { holderAddressProblems, sameAddress } from './address.js';

describe('holder addresses', () => {
  it('accepts a German postal address', () => {
    expect(holderAddressProblems(HOME)).toEqual([]);
    expect(
      holderAddressProblems(cityAddress('Kochstraße', '7', { houseNumberSuffix: 'a', municipalityKey: '' })),
    ).toEqual([]);
  });

  it('names every field that is wrong', () => {
    const problems = holderAddressProblems({
      ...HOME,
      street: ' ',
      houseNumber: '12a',
      houseNumberSuffix: 'abc',
      postalCode: '4155',
      municipality: '',
      municipalityKey: '1471300',
    });
    expect(problems.map((p) => p.field)).toEqual([
      'street',
      'house_number',
      'house_number_suffix',
      'postal_code',
      'municipality',
      'municipality_key',
    ]);
  });

  it('refuses addresses abroad: vehicles are registered at a residence in Germany', () => {
    expect(holderAddressProblems(VIENNA_HOME).map((p) => p.field)).toContain('country_code');
  });

  it('compares every field', () => {
    expect(sameAddress(HOME, { ...HOME })).toBe(true);
    expect(sameAddress(HOME, { ...HOME, houseNumberSuffix: 'a' })).toBe(false);
    expect(sameAddress(HOME, { ...HOME, district: 'Möckern' })).toBe(false);
  });
});
