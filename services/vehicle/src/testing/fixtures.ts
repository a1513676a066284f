import type { Address } from '../domain/address.js';
import type { MoveNotice } from '../domain/move.js';
import type { NewVehicle } from '../domain/vehicle.js';

/** Addresses and vehicles for the unit tests of the domain and the use cases (no personal data of real people). */
export function cityAddress(street: string, houseNumber: string, overrides: Partial<Address> = {}): Address {
  return {
    street,
    houseNumber,
    houseNumberSuffix: '',
    addressAddition: '',
    postalCode: '04155',
    municipality: 'Leipzig',
    municipalityKey: '14713000',
    streetKey: '01001',
    district: 'Gohlis-Süd',
    countryCode: 'DE',
    ...overrides,
  };
}

export const HOME = cityAddress('Georg-Schumann-Straße', '12');
export const NEW_HOME = cityAddress('Karl-Heine-Straße', '40', {
  postalCode: '04229',
  streetKey: '03001',
  district: 'Plagwitz',
});
export const OTHER_HOME = cityAddress('Kochstraße', '7', {
  postalCode: '04275',
  streetKey: '02006',
  district: 'Südvorstadt',
});
export const DRESDEN_HOME: Address = {
  ...cityAddress('Prager Straße', '3'),
  postalCode: '01069',
  municipality: 'Dresden',
  municipalityKey: '14612000',
  streetKey: '',
  district: '',
};
export const VIENNA_HOME: Address = {
  ...cityAddress('Mariahilfer Straße', '1'),
  postalCode: '1060',
  municipality: 'Wien',
  municipalityKey: '',
  streetKey: '',
  district: '',
  countryCode: 'AT',
};

export function newVehicle(overrides: Partial<NewVehicle> = {}): NewVehicle {
  return {
    plate: 'L-AM 2026',
    vin: 'WVWZZZ1KZ8W012345',
    make: 'Volkswagen',
    model: 'Golf',
    certificateNumber: 'AB0992026',
    holderPersonId: 'P0000001',
    holderAddress: HOME,
    district: 'L',
    ...overrides,
  };
}

export function moveNotice(overrides: Partial<MoveNotice> = {}): MoveNotice {
  return {
    moveId: 'move-1',
    applicantId: 'P0000001',
    personIds: ['P0000001', 'P0000002', 'P0000003'],
    newAddress: NEW_HOME,
    abroad: false,
    plates: ['L-AM 2026'],
    recordedAt: new Date('2026-03-02T09:00:00Z'),
    ...overrides,
  };
}
