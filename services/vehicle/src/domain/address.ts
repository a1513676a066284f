/**
 * A postal address in the domain's own shape (the contracts' common.v1.Address
 * is mapped to and from it at the edges). The register keeps the holder
 * address exactly as the registration office sent it.
 */
export interface Address {
  readonly street: string;
  readonly houseNumber: string;
  readonly houseNumberSuffix: string;
  readonly addressAddition: string;
  readonly postalCode: string;
  readonly municipality: string;
  /** Amtlicher Gemeindeschlüssel; empty abroad. */
  readonly municipalityKey: string;
  readonly streetKey: string;
  /** Ortsteil, set inside the city. */
  readonly district: string;
  /** ISO 3166-1 alpha-2; "DE" in Germany. */
  readonly countryCode: string;
}

export function sameAddress(a: Address, b: Address): boolean {
  return (
    a.street === b.street &&
    a.houseNumber === b.houseNumber &&
    a.houseNumberSuffix === b.houseNumberSuffix &&
    a.addressAddition === b.addressAddition &&
    a.postalCode === b.postalCode &&
    a.municipality === b.municipality &&
    a.municipalityKey === b.municipalityKey &&
    a.streetKey === b.streetKey &&
    a.district === b.district &&
    a.countryCode === b.countryCode
  );
}

/** An address problem, named by the field's snake_case name as in the .proto. */
export interface AddressProblem {
  readonly field: string;
  readonly description: string;
}

/**
 * What a holder address must have to be registered: a vehicle is registered
 * by the authority of the holder's place of residence in Germany (örtliche
 * Zuständigkeit under the FZV), so the holder address is a German postal
 * address.
 */
export function holderAddressProblems(address: Address): AddressProblem[] {
  const problems: AddressProblem[] = [];
  if (address.street.trim() === '') problems.push({ field: 'street', description: 'is required' });
  if (!/^[0-9]{1,5}$/.test(address.houseNumber)) {
    problems.push({ field: 'house_number', description: 'must be 1-5 digits' });
  }
  if (!/^[A-Za-z]{0,2}$/.test(address.houseNumberSuffix)) {
    problems.push({ field: 'house_number_suffix', description: 'must be at most two letters' });
  }
  if (!/^[0-9]{5}$/.test(address.postalCode))
    problems.push({ field: 'postal_code', description: 'must be five digits' });
  if (address.municipality.trim() === '') problems.push({ field: 'municipality', description: 'is required' });
  if (address.municipalityKey !== '' && !/^[0-9]{8}$/.test(address.municipalityKey)) {
    problems.push({ field: 'municipality_key', description: 'must be eight digits' });
  }
  if (address.countryCode !== 'DE') {
    problems.push({
      field: 'country_code',
      description: 'must be "DE": vehicles are registered at a residence in Germany',
    });
  }
  return problems;
}
