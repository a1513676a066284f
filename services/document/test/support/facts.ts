import type { AddressChangeFact, PostalAddress, VehicleUpdateFact } from '../../src/domain/move.js';

export const NEW_ADDRESS: PostalAddress = {
  street: 'Georg-Schumann-Straße',
  houseNumber: '12',
  houseNumberSuffix: 'a',
  addressAddition: '',
  postalCode: '04155',
  municipality: 'Leipzig',
  countryCode: 'DE',
};

/** The Müller household of the demo population moving within Leipzig, everything asked for. */
export function addressChangeFact(overrides: Partial<AddressChangeFact> = {}): AddressChangeFact {
  return {
    cause: { eventId: 'evt-ac', correlationId: 'bundle-1' },
    applicantPersonId: 'P0000001',
    moveKind: 'within-city',
    persons: [
      { personId: 'P0000001', name: { familyName: 'Müller', givenNames: 'Anna', doctoralDegree: '' } },
      { personId: 'P0000003', name: { familyName: 'Müller', givenNames: 'Mia', doctoralDegree: '' } },
    ],
    newAddress: NEW_ADDRESS,
    moveInDate: '2026-03-01',
    residenceType: 'main',
    wantsRegistrationConfirmation: true,
    wantsVehicleRecords: true,
    wantsAppointment: true,
    ...overrides,
  };
}

export function vehicleUpdateFact(overrides: Partial<VehicleUpdateFact> = {}): VehicleUpdateFact {
  return {
    cause: { eventId: 'evt-vu', correlationId: 'bundle-1' },
    plate: 'L-AM 2026',
    holderPersonId: 'P0000001',
    newHolderAddress: NEW_ADDRESS,
    previousRegistrationDistrict: 'Leipzig',
    newRegistrationDistrict: 'Leipzig',
    ...overrides,
  };
}
