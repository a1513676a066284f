import { DocumentEvents, document, registration } from '@buergerservice/contracts';
import { issueDocument, revokeDocument } from '../domain/document.js';
import { addressChangedFact, encodeDocumentEvent, InvalidEventError, vehicleUpdateFact } from './codec.js';
import { subscriptions } from './subscriptions.js';
import { inMemoryApp } from '../../test/support/in-memory.js';

const address = {
  street: 'Georg-Schumann-Straße',
  houseNumber: '12',
  houseNumberSuffix: '',
  addressAddition: '',
  postalCode: '04155',
  municipality: 'Leipzig',
  municipalityKey: '14713000',
  streetKey: '01001',
  district: 'Gohlis-Süd',
  countryCode: 'DE',
};

const changed = registration.AddressChanged.fromPartial({
  moveId: 'm1',
  kind: registration.MoveKind.MOVE_KIND_INTO_CITY,
  personId: 'P0000004',
  persons: [{ personId: 'P0000004', name: { familyName: 'Yılmaz', givenNames: 'Mehmet', doctoralDegree: '' } }],
  newAddress: address,
  moveInDate: '2026-03-01',
  residenceType: registration.ResidenceType.RESIDENCE_TYPE_SECONDARY,
  followUps: {
    documents: [registration.RequestedDocument.REQUESTED_DOCUMENT_REGISTRATION_CONFIRMATION],
    appointment: { wanted: true },
  },
});

describe('incoming events', () => {
  it('turn an AddressChanged into the move fact, keeping only what documents need', () => {
    const checked = addressChangedFact(changed);
    expect(checked.moveId).toBe('m1');
    expect(checked.fact({ eventId: 'e', correlationId: 'c' })).toEqual({
      cause: { eventId: 'e', correlationId: 'c' },
      applicantPersonId: 'P0000004',
      moveKind: 'into-city',
      persons: [{ personId: 'P0000004', name: { familyName: 'Yılmaz', givenNames: 'Mehmet', doctoralDegree: '' } }],
      newAddress: {
        street: 'Georg-Schumann-Straße',
        houseNumber: '12',
        houseNumberSuffix: '',
        addressAddition: '',
        postalCode: '04155',
        municipality: 'Leipzig',
        countryCode: 'DE',
      },
      moveInDate: '2026-03-01',
      residenceType: 'secondary',
      wantsRegistrationConfirmation: true,
      wantsVehicleRecords: false,
      wantsAppointment: true,
    });
  });

  it('name every problem of an unusable event by field path', () => {
    const bad = registration.AddressChanged.fromPartial({ persons: [{ personId: '' }], moveInDate: '2026-02-30' });
    expect(() => addressChangedFact(bad)).toThrow(InvalidEventError);
    try {
      addressChangedFact(bad);
    } catch (error) {
      expect((error as InvalidEventError).problems).toEqual([
        'move_id is required',
        'person_id is required',
        'persons[0].person_id is required',
        'persons[0].name.family_name is required',
        'new_address is required',
        'new_address.postal_code is required',
        'new_address.municipality is required',
        'move_in_date must be a date YYYY-MM-DD',
      ]);
    }
  });

  it('accept an address abroad without a postal code, and require one for German addresses', () => {
    const abroad = registration.AddressChanged.fromPartial({
      ...changed,
      kind: registration.MoveKind.MOVE_KIND_ABROAD,
      newAddress: { street: 'Main Street', houseNumber: '1', municipality: 'Dublin', countryCode: 'IE' },
    });
    expect(addressChangedFact(abroad).fact({ eventId: 'e', correlationId: 'c' })).toMatchObject({
      moveKind: 'abroad',
      newAddress: { postalCode: '', municipality: 'Dublin', countryCode: 'IE' },
    });
    const german = registration.AddressChanged.fromPartial({ ...changed, newAddress: { ...address, postalCode: '' } });
    expect(() => addressChangedFact(german)).toThrow('new_address.postal_code is required');
  });

  it('normalise plates of vehicle events', () => {
    const checked = vehicleUpdateFact({
      moveId: 'm1',
      plate: ' l-am  2026',
      holderPersonId: 'P0000001',
      newHolderAddress: address,
      previousRegistrationDistrict: 'L',
      newRegistrationDistrict: 'L',
    });
    expect(checked.fact({ eventId: 'e', correlationId: 'c' }).plate).toBe('L-AM 2026');
  });

  it('are checked while the consumer prepares them, so an unusable one is dead-lettered without retries', () => {
    const route = subscriptions(inMemoryApp()).find(
      (s) => s.typeName === 'buergerservice.registration.v1.AddressChanged',
    );
    const bytes = registration.AddressChanged.encode(
      registration.AddressChanged.fromPartial({ moveId: 'm1' }),
    ).finish();
    expect(() => route?.prepare(bytes)).toThrow(InvalidEventError);
    expect(typeof route?.prepare(registration.AddressChanged.encode(changed).finish())).toBe('function');
  });

  it('cover each event type once', () => {
    expect(subscriptions(inMemoryApp()).map((s) => s.typeName)).toEqual([
      'buergerservice.registration.v1.AddressChanged',
      'buergerservice.registration.v1.AddressChangeRevoked',
      'buergerservice.vehicle.v1.VehicleHolderAddressUpdated',
      'buergerservice.vehicle.v1.VehicleHolderAddressRestored',
      'buergerservice.appointment.v1.AppointmentBooked',
    ]);
  });
});

describe('outgoing events', () => {
  const cause = { eventId: 'evt-ac', correlationId: 'bundle-1' };
  const issued = issueDocument(
    {
      documentId: 'm1:P0000003:registration-confirmation',
      kind: 'registration-confirmation',
      personId: 'P0000003',
      applicantPersonId: 'P0000001',
      moveId: 'm1',
      plate: '',
      documentNumber: 'MB-2026-0000001-5',
      verificationCode: 'ABCD-EFGH-JKMN-PQRS',
    },
    new Date('2026-03-02T09:00:00Z'),
    cause,
  );

  it('DocumentIssued: keyed by the applicant, caused by the triggering event, in its bundle', () => {
    const [event] = issued.events;
    if (!event) throw new Error('fixture');
    const entry = encodeDocumentEvent(event);
    expect(entry).toMatchObject({
      topic: 'document.events.v1',
      typeName: DocumentEvents.DocumentIssued.typeName,
      key: 'P0000001',
      correlationId: 'bundle-1',
      causationId: 'evt-ac',
    });
    expect(document.DocumentIssued.decode(entry.payload)).toEqual({
      documentId: 'm1:P0000003:registration-confirmation',
      kind: document.DocumentKind.DOCUMENT_KIND_REGISTRATION_CONFIRMATION,
      personId: 'P0000003',
      moveId: 'm1',
      plate: '',
      documentNumber: 'MB-2026-0000001-5',
      status: document.DocumentStatus.DOCUMENT_STATUS_VALID,
    });
  });

  it('DocumentRevoked: with the reason, no personal data beyond ids', () => {
    const revoked = revokeDocument(issued.state, 'move-revoked', new Date(), {
      eventId: 'evt-rv',
      correlationId: 'bundle-1',
    });
    const [event] = revoked.events;
    if (!event) throw new Error('fixture');
    const entry = encodeDocumentEvent(event);
    expect(entry).toMatchObject({
      typeName: DocumentEvents.DocumentRevoked.typeName,
      key: 'P0000001',
      causationId: 'evt-rv',
    });
    expect(document.DocumentRevoked.decode(entry.payload)).toEqual({
      documentId: 'm1:P0000003:registration-confirmation',
      kind: document.DocumentKind.DOCUMENT_KIND_REGISTRATION_CONFIRMATION,
      personId: 'P0000003',
      moveId: 'm1',
      plate: '',
      reason: 'move-revoked',
    });
  });
});
