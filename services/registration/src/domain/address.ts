import type { RuleViolation } from './errors.js';

/** A postal address as the register records it (the shape of common.v1.Address). */
export interface Address {
  readonly street: string;
  /** Digits only. */
  readonly houseNumber: string;
  readonly houseNumberSuffix: string;
  readonly addressAddition: string;
  readonly postalCode: string;
  readonly municipality: string;
  /** Amtlicher Gemeindeschlüssel; empty abroad. */
  readonly municipalityKey: string;
  /** Street key of the city's directory; set for addresses in the city only. */
  readonly streetKey: string;
  /** Ortsteil; set for addresses in the city only. */
  readonly district: string;
  /** ISO 3166-1 alpha-2. */
  readonly countryCode: string;
}

/** One section of a street in the city's street directory (Straßenverzeichnis). */
export interface DirectoryStreet {
  readonly streetKey: string;
  readonly name: string;
  readonly postalCode: string;
  readonly district: string;
  readonly houseNumbers: { readonly from: number; readonly to: number };
}

/** The city whose register this is. */
export const CITY = { name: 'Leipzig', municipalityKey: '14713000', countryCode: 'DE' } as const;

export function isInCity(address: Address | undefined): boolean {
  return address?.municipalityKey === CITY.municipalityKey;
}

/**
 * The form of a street name used to look it up: case, spacing, hyphens and
 * the usual abbreviations ("Str.", "Strasse") do not matter, so
 * "georg schumann str." finds "Georg-Schumann-Straße".
 */
export function normalizeStreetName(name: string): string {
  return name
    .normalize('NFC')
    .toLocaleLowerCase('de-DE')
    .trim()
    .replace(/strasse\b/g, 'straße')
    .replace(/str\.?$/g, 'straße')
    .replace(/str\.(?=[\s-])/g, 'straße')
    .replace(/[\s-]+/g, '-');
}

/** Two addresses denote the same dwelling (street, number, suffix, addition, postal code, country). */
export function sameAddress(a: Address, b: Address): boolean {
  return addressKey(a) === addressKey(b);
}

/**
 * Two addresses denote the same building (street, number, suffix, postal
 * code, country): how a citizen's statement of their previous address is
 * checked against the register, without quibbling over "Hinterhaus".
 */
export function sameBuilding(a: Address, b: Address): boolean {
  return buildingKey(a) === buildingKey(b);
}

function buildingKey(a: Address): string {
  return [
    normalizeStreetName(a.street),
    String(Number(a.houseNumber)),
    a.houseNumberSuffix.trim().toLowerCase(),
    a.postalCode.trim(),
    // A German address often comes without a country code.
    a.countryCode.trim().toUpperCase() || CITY.countryCode,
  ].join('|');
}

function addressKey(a: Address): string {
  return `${buildingKey(a)}|${a.addressAddition.trim().toLowerCase().replace(/\s+/g, ' ')}`;
}

export type ResolvedAddress = { readonly address: Address } | { readonly violations: RuleViolation[] };

/**
 * Checks an address in the city against the street directory and returns it
 * completed the way the register records it (directory spelling, street key,
 * district, municipality key). `sections` are the directory entries whose
 * name matches `normalizeStreetName(address.street)`; `field` is the request
 * path of the address, for the violations.
 */
export function resolveCityAddress(
  address: Address,
  sections: readonly DirectoryStreet[],
  field: string,
): ResolvedAddress {
  const violations: RuleViolation[] = [];
  const wanted = normalizeStreetName(address.street);
  const named = sections.filter((s) => normalizeStreetName(s.name) === wanted);
  if (address.municipalityKey !== '' && address.municipalityKey !== CITY.municipalityKey) {
    violations.push({
      field: `${field}.municipality_key`,
      description: `must be ${CITY.municipalityKey} (${CITY.name})`,
    });
  }
  if (address.countryCode !== '' && address.countryCode.toUpperCase() !== CITY.countryCode) {
    violations.push({ field: `${field}.country_code`, description: `must be ${CITY.countryCode}` });
  }
  if (named.length === 0) {
    violations.push({ field: `${field}.street`, description: `is not in the street directory of ${CITY.name}` });
    return { violations };
  }
  const inPostalCode = named.filter((s) => s.postalCode === address.postalCode);
  if (inPostalCode.length === 0) {
    const codes = [...new Set(named.map((s) => s.postalCode))].sort().join(', ');
    violations.push({
      field: `${field}.postal_code`,
      description: `does not belong to this street (directory: ${codes})`,
    });
    return { violations };
  }
  const number = Number(address.houseNumber);
  const section = inPostalCode.find((s) => number >= s.houseNumbers.from && number <= s.houseNumbers.to);
  if (!Number.isInteger(number) || !section) {
    const ranges = inPostalCode.map((s) => `${s.houseNumbers.from}-${s.houseNumbers.to}`).join(', ');
    violations.push({
      field: `${field}.house_number`,
      description: `is not a house number of this street in this postal code (directory: ${ranges})`,
    });
    return { violations };
  }
  if (address.streetKey !== '' && address.streetKey !== section.streetKey) {
    violations.push({
      field: `${field}.street_key`,
      description: 'does not match street, postal code and house number',
    });
  }
  if (violations.length > 0) return { violations };
  return {
    address: {
      street: section.name,
      houseNumber: String(number),
      houseNumberSuffix: address.houseNumberSuffix.trim().toLowerCase(),
      addressAddition: address.addressAddition.trim(),
      postalCode: section.postalCode,
      municipality: CITY.name,
      municipalityKey: CITY.municipalityKey,
      streetKey: section.streetKey,
      district: section.district,
      countryCode: CITY.countryCode,
    },
  };
}
