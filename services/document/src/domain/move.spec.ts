import { documentIds } from './document.js';
import {
  type AddressChangeFact,
  emptyMove,
  type MoveFacts,
  planDocuments,
  type PostalAddress,
  reconcileActions,
} from './move.js';

const address: PostalAddress = {
  street: 'Georg-Schumann-Straße',
  houseNumber: '12',
  houseNumberSuffix: 'a',
  addressAddition: '',
  postalCode: '04155',
  municipality: 'Leipzig',
  countryCode: 'DE',
};
const change: AddressChangeFact = {
  cause: { eventId: 'ac', correlationId: 'bundle' },
  applicantPersonId: 'P1',
  moveKind: 'within-city',
  persons: [
    { personId: 'P1', name: { familyName: 'Müller', givenNames: 'Anna', doctoralDegree: '' } },
    { personId: 'P3', name: { familyName: 'Müller', givenNames: 'Mia', doctoralDegree: '' } },
  ],
  newAddress: address,
  moveInDate: '2026-03-01',
  residenceType: 'main',
  wantsRegistrationConfirmation: true,
  wantsVehicleRecords: true,
  wantsAppointment: true,
};
const update = {
  cause: { eventId: 'vu', correlationId: 'bundle' },
  plate: 'L-AM 2026',
  holderPersonId: 'P1',
  newHolderAddress: address,
  previousRegistrationDistrict: 'L',
  newRegistrationDistrict: 'L',
};

function move(overrides: Partial<MoveFacts>): MoveFacts {
  return { ...emptyMove('m1'), ...overrides };
}

const RECORD = documentIds.vehicleRecord('m1', 'L-AM 2026');

const summary = (facts: MoveFacts) =>
  planDocuments(facts).documents.map((d) => [d.documentId, d.target, d.revocation?.reason ?? '']);

describe('planning the documents of a move', () => {
  it('plans nothing before the AddressChanged is known, whatever else arrived', () => {
    expect(planDocuments(move({ vehicleUpdates: [update], bookings: [] })).documents).toEqual([]);
    expect(planDocuments(move({ revocation: { eventId: 'r', correlationId: 'bundle' } })).documents).toEqual([]);
  });

  it('plans one confirmation per person, a vehicle record per updated plate and a pending sticker order', () => {
    expect(summary(move({ addressChange: change, vehicleUpdates: [update] }))).toEqual([
      ['m1:P1:registration-confirmation', 'valid', ''],
      ['m1:P3:registration-confirmation', 'valid', ''],
      [RECORD, 'valid', ''],
      ['m1:P1:id-card-address-sticker-order', 'pending', ''],
    ]);
  });

  it('carries what each document prints and the event that caused it', () => {
    const [first, , vehicle, order] = planDocuments(
      move({ addressChange: change, vehicleUpdates: [update] }),
    ).documents;
    expect(first).toMatchObject({
      personId: 'P1',
      applicantPersonId: 'P1',
      cause: change.cause,
      content: { kind: 'registration-confirmation', name: change.persons[0]?.name, moveInDate: '2026-03-01' },
    });
    expect(vehicle).toMatchObject({ personId: 'P1', plate: 'L-AM 2026', cause: update.cause });
    expect(order?.content).toBeUndefined();
  });

  it('issues only what was asked for', () => {
    const nothing = {
      ...change,
      wantsRegistrationConfirmation: false,
      wantsVehicleRecords: false,
      wantsAppointment: false,
    };
    expect(planDocuments(move({ addressChange: nothing, vehicleUpdates: [update] })).documents).toEqual([]);
  });

  it('completes the order once the appointment is booked', () => {
    const booked = move({
      addressChange: change,
      bookings: [{ cause: { eventId: 'ab', correlationId: 'bundle' }, appointmentId: 'A1', personId: 'P1' }],
    });
    const order = planDocuments(booked).documents.find((d) => d.kind === 'id-card-address-sticker-order');
    expect(order).toMatchObject({ target: 'valid', completion: { eventId: 'ab' } });
  });

  it('revokes everything of a revoked move, and only the vehicle record when its holder address was restored', () => {
    const revocation = { eventId: 'rv', correlationId: 'bundle' };
    expect(summary(move({ addressChange: change, vehicleUpdates: [update], revocation }))).toEqual([
      ['m1:P1:registration-confirmation', 'revoked', 'move-revoked'],
      ['m1:P3:registration-confirmation', 'revoked', 'move-revoked'],
      [RECORD, 'revoked', 'move-revoked'],
      ['m1:P1:id-card-address-sticker-order', 'revoked', 'move-revoked'],
    ]);
    const restored = move({
      addressChange: change,
      vehicleUpdates: [update],
      restorations: [{ cause: { eventId: 'rs', correlationId: 'bundle' }, plate: 'L-AM 2026' }],
    });
    expect(summary(restored)).toEqual([
      ['m1:P1:registration-confirmation', 'valid', ''],
      ['m1:P3:registration-confirmation', 'valid', ''],
      [RECORD, 'revoked', 'holder-address-restored'],
      ['m1:P1:id-card-address-sticker-order', 'pending', ''],
    ]);
  });

  it('issues no vehicle record for a holder the move does not cover, and says so', () => {
    const plan = planDocuments(move({ addressChange: change, vehicleUpdates: [{ ...update, holderPersonId: 'P9' }] }));
    expect(plan.documents.some((d) => d.kind === 'vehicle-registration-record')).toBe(false);
    expect(plan.notes).toEqual([{ moveId: 'm1', plate: 'L-AM 2026', note: 'holder-not-in-move' }]);
  });
});

describe('reconciling stored documents with the plan', () => {
  const plan = planDocuments(move({ addressChange: change })).documents;

  it('creates what is missing', () => {
    expect(reconcileActions(plan, []).map((a) => a.type)).toEqual(['create', 'create', 'create']);
  });

  it('does nothing when the store already matches', () => {
    const existing = plan.map((p) => ({ documentId: p.documentId, status: p.target }));
    expect(reconcileActions(plan, existing)).toEqual([]);
  });

  it('completes and revokes forward only', () => {
    const booked = planDocuments(
      move({
        addressChange: change,
        bookings: [{ cause: { eventId: 'ab', correlationId: 'b' }, appointmentId: 'A', personId: 'P1' }],
      }),
    ).documents;
    const existing = booked.map((p) => ({ documentId: p.documentId, status: 'pending' as const }));
    expect(reconcileActions(booked, existing).filter((a) => a.type === 'complete')).toEqual([
      {
        type: 'complete',
        documentId: 'm1:P1:id-card-address-sticker-order',
        cause: { eventId: 'ab', correlationId: 'b' },
      },
    ]);
    const revoked = planDocuments(
      move({ addressChange: change, revocation: { eventId: 'rv', correlationId: 'b' } }),
    ).documents;
    const valid = revoked.map((p) => ({ documentId: p.documentId, status: 'valid' as const }));
    expect(reconcileActions(revoked, valid).map((a) => a.type)).toEqual(['revoke', 'revoke', 'revoke']);
    // A stale plan (made before the revocation) never brings a revoked document back.
    const stored = plan.map((p) => ({ documentId: p.documentId, status: 'revoked' as const }));
    expect(reconcileActions(plan, stored)).toEqual([]);
  });
});
