import type { common } from '@buergerservice/contracts';
import type { Address } from './domain/address.js';

/** common.v1.Address <-> the domain's Address, used by the gRPC layer and the event codec (the two contract edges). */
export function addressFromContract(address: common.Address | undefined): Address {
  return {
    street: address?.street ?? '',
    houseNumber: address?.houseNumber ?? '',
    houseNumberSuffix: address?.houseNumberSuffix ?? '',
    addressAddition: address?.addressAddition ?? '',
    postalCode: address?.postalCode ?? '',
    municipality: address?.municipality ?? '',
    municipalityKey: address?.municipalityKey ?? '',
    streetKey: address?.streetKey ?? '',
    district: address?.district ?? '',
    countryCode: address?.countryCode ?? '',
  };
}

export function addressToContract(address: Address): common.Address {
  return { ...address };
}
