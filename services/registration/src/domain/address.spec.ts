import { cityAddress, directory, typedAddress } from '../../test/fixtures/register.js';
import { normalizeStreetName, resolveCityAddress, sameAddress, sameBuilding } from './address.js';

describe('street names', () => {
  it.each([
    ['Georg-Schumann-Straße', 'georg-schumann-straße'],
    ['georg schumann str.', 'georg-schumann-straße'],
    ['Georg-Schumann-Str', 'georg-schumann-straße'],
    ['Georg-Schumann-Strasse', 'georg-schumann-straße'],
    ['  Karl-Heine-Straße ', 'karl-heine-straße'],
    ['Martin Luther Ring', 'martin-luther-ring'],
  ])('%s is looked up as %s', (name, normalized) => {
    expect(normalizeStreetName(name)).toBe(normalized);
  });
});

describe('addresses in the city', () => {
  const sections = (name: string) => directory.filter((s) => normalizeStreetName(s.name) === normalizeStreetName(name));

  it('completes a typed address from the directory', () => {
    const typed = { ...typedAddress('georg-schumann-str.', '200', '04159'), houseNumberSuffix: 'B' };
    const result = resolveCityAddress(typed, sections(typed.street), 'new_address');
    expect(result).toEqual({
      address: {
        street: 'Georg-Schumann-Straße',
        houseNumber: '200',
        houseNumberSuffix: 'b',
        addressAddition: '',
        postalCode: '04159',
        municipality: 'Leipzig',
        municipalityKey: '14713000',
        streetKey: '01002',
        district: 'Möckern',
        countryCode: 'DE',
      },
    });
  });

  it('picks the section of a long street by postal code and house number', () => {
    const south = resolveCityAddress(
      typedAddress('Georg-Schumann-Straße', '120', '04155'),
      sections('Georg-Schumann-Straße'),
      'a',
    );
    expect('address' in south && south.address.streetKey).toBe('01001');
  });

  it('refuses a street that is not in the directory', () => {
    const result = resolveCityAddress(typedAddress('Unter den Linden', '1', '04109'), [], 'new_address');
    expect(result).toEqual({
      violations: [{ field: 'new_address.street', description: 'is not in the street directory of Leipzig' }],
    });
  });

  it('refuses a postal code the street does not have, naming the right ones', () => {
    const result = resolveCityAddress(
      typedAddress('Mozartstraße', '3', '04109'),
      sections('Mozartstraße'),
      'new_address',
    );
    expect(result).toEqual({
      violations: [
        { field: 'new_address.postal_code', description: 'does not belong to this street (directory: 04107)' },
      ],
    });
  });

  it.each(['0', '26', '999'])('refuses house number %s outside the range', (number) => {
    const result = resolveCityAddress(typedAddress('Mozartstraße', number, '04107'), sections('Mozartstraße'), 'x');
    expect('violations' in result && result.violations.map((v) => v.field)).toEqual(['x.house_number']);
  });

  it('accepts the first and the last house number of a range', () => {
    for (const number of ['1', '25']) {
      expect(
        'address' in resolveCityAddress(typedAddress('Mozartstraße', number, '04107'), sections('Mozartstraße'), 'x'),
      ).toBe(true);
    }
  });

  it('refuses a municipality key, country or street key that contradicts the directory', () => {
    const address = {
      ...cityAddress('02001', '3'),
      municipalityKey: '14612000',
      countryCode: 'AT',
      streetKey: '09999',
    };
    const result = resolveCityAddress(address, sections('Mozartstraße'), 'new_address');
    expect('violations' in result && result.violations.map((v) => v.field)).toEqual([
      'new_address.municipality_key',
      'new_address.country_code',
      'new_address.street_key',
    ]);
  });

  it('compares buildings without country code or addition, for stated previous addresses', () => {
    const a = cityAddress('02001', '7');
    expect(sameBuilding(a, { ...a, countryCode: '', addressAddition: 'Hinterhaus', municipalityKey: '' })).toBe(true);
    expect(sameBuilding(a, { ...a, postalCode: '04109' })).toBe(false);
  });

  it('compares dwellings regardless of spelling, but not of apartment', () => {
    const a = cityAddress('02001', '7');
    expect(sameAddress(a, { ...a, street: 'mozartstr.', houseNumber: '07', streetKey: '' })).toBe(true);
    expect(sameAddress(a, { ...a, houseNumberSuffix: 'a' })).toBe(false);
    expect(sameAddress(a, { ...a, addressAddition: 'Hinterhaus' })).toBe(false);
  });
});
