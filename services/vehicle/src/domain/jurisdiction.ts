import type { Address } from './address.js';

/**
 * The registration district (Zulassungsbezirk) this authority serves. The
 * city is one district with the district code "L"; its register may still
 * hold vehicles registered elsewhere (e.g. "DD") that a person moving into
 * the city brings along (taken over from the central vehicle register).
 */
export interface Jurisdiction {
  /** Amtlicher Gemeindeschlüssel of the city, e.g. "14713000" for Leipzig. */
  readonly municipalityKey: string;
  /** The district code of the city's registration district, e.g. "L". */
  readonly districtCode: string;
}

export const LEIPZIG_JURISDICTION: Jurisdiction = { municipalityKey: '14713000', districtCode: 'L' };

/** Where a new holder address lies, as far as the vehicle register is concerned. */
export type Destination =
  /** Inside the district: the vehicle is registered here (again) under `districtCode`. */
  | { readonly kind: 'in-district'; readonly districtCode: string }
  /** In Germany, but another authority is responsible for the new residence. */
  | { readonly kind: 'other-district' }
  /** Abroad: no German residence, the vehicle cannot stay registered to the holder. */
  | { readonly kind: 'abroad' };

export function destinationOf(address: Address, jurisdiction: Jurisdiction): Destination {
  // An empty country code is read as Germany: the registration office leaves
  // it empty only for domestic addresses it did not normalise.
  if (address.countryCode !== '' && address.countryCode !== 'DE') return { kind: 'abroad' };
  if (address.municipalityKey === jurisdiction.municipalityKey) {
    return { kind: 'in-district', districtCode: jurisdiction.districtCode };
  }
  return { kind: 'other-district' };
}
