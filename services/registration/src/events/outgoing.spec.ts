import { RegistrationEvents, Topics } from '@buergerservice/contracts';
import { clara, dresdenAddress, jonas, mia, moveRequest, anna, directory } from '../../test/fixtures/register.js';
import { normalizeStreetName } from '../domain/address.js';
import { recordMove, revokeMove } from '../domain/move.js';
import { register } from '../../test/fixtures/register.js';
import { moveEvents } from './outgoing.js';

const now = new Date('2025-11-17T09:00:00Z');

function move(
  request = moveRequest({
    coMovingPersonIds: [jonas.personId, mia.personId],
    followUps: {
      vehiclePlates: ['L-AM 2026'],
      documents: ['registration-confirmation'],
      appointment: { wanted: true, locationId: 'BB-Mitte', autoBook: true, earliestDate: '', interpreterLanguage: '' },
    },
  }),
) {
  const wanted = normalizeStreetName(request.newAddress.street);
  return recordMove({
    moveId: 'move-1',
    idempotencyKey: 'k',
    requestFingerprint: 'f',
    submittedBy: 'portal-gateway',
    correlationId: 'bundle-1',
    request,
    persons: register(anna, jonas, mia, clara),
    directory: directory.filter((s) => normalizeStreetName(s.name) === wanted),
    pendingMoveIds: new Map(),
    now,
  });
}

describe('events of a recorded move', () => {
  it('AddressChanged: on the registration topic, keyed by the applicant, with the bundle id, names but no birth dates', () => {
    const [entry, ...rest] = moveEvents().recorded(move(), [anna, jonas, mia]);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      topic: Topics.registration,
      typeName: RegistrationEvents.AddressChanged.typeName,
      key: 'P0000001',
      correlationId: 'bundle-1',
      causationId: 'move-1',
      time: now,
    });
    const payload = RegistrationEvents.AddressChanged.codec.decode(entry?.payload ?? new Uint8Array());
    expect(payload).toMatchObject({
      moveId: 'move-1',
      personId: 'P0000001',
      persons: [
        { personId: 'P0000001', name: { familyName: 'Müller', givenNames: 'Anna', doctoralDegree: '' } },
        { personId: 'P0000002', name: { familyName: 'Müller', givenNames: 'Jonas', doctoralDegree: '' } },
        { personId: 'P0000003', name: { familyName: 'Müller', givenNames: 'Mia', doctoralDegree: '' } },
      ],
      newAddress: { street: 'Mozartstraße', houseNumber: '7', postalCode: '04107', streetKey: '02001' },
      moveInDate: '2025-11-15',
      followUps: {
        vehiclePlates: ['L-AM 2026'],
        documents: [1],
        appointment: { wanted: true, locationId: 'BB-Mitte' },
      },
    });
    // The event id derives from the move: building the events again gives the same ce_id.
    expect(entry?.id).toBe(moveEvents().recorded(move(), [anna, jonas, mia])[0]?.id);
    expect(entry?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const bytes = Buffer.from(entry?.payload ?? []).toString('latin1');
    expect(bytes).not.toContain('1988-04-17');
  });

  it('PreviousRegistrationOfficeNotified: for a move from another German municipality, with what that office needs', () => {
    const into = move(moveRequest({ kind: 'into-city', personId: clara.personId, previousAddress: dresdenAddress }));
    const entries = moveEvents({ topic: 'test-topic' }).recorded(into, [clara]);
    expect(entries.map((e) => [e.typeName, e.topic])).toEqual([
      [RegistrationEvents.AddressChanged.typeName, 'test-topic'],
      [RegistrationEvents.PreviousRegistrationOfficeNotified.typeName, 'test-topic'],
    ]);
    const payload = RegistrationEvents.PreviousRegistrationOfficeNotified.codec.decode(
      entries[1]?.payload ?? new Uint8Array(),
    );
    expect(payload).toMatchObject({
      moveId: 'move-1',
      previousMunicipalityKey: '14612000',
      previousMunicipality: 'Dresden',
      persons: [{ personId: 'P0000005', dateOfBirth: '1988-04-17', previousAddress: { municipality: 'Dresden' } }],
      moveInDate: '2025-11-15',
      dueByDate: '2025-11-21',
    });
  });

  it('AddressChangeRevoked: the move and everyone it covered', () => {
    const revoked = revokeMove(move(), new Date('2025-11-17T10:00:00Z'), 'x', 'portal-gateway').move;
    const [entry] = moveEvents().revoked(revoked);
    expect(entry).toMatchObject({ key: 'P0000001', correlationId: 'bundle-1', time: new Date('2025-11-17T10:00:00Z') });
    expect(RegistrationEvents.AddressChangeRevoked.codec.decode(entry?.payload ?? new Uint8Array())).toEqual({
      moveId: 'move-1',
      personId: 'P0000001',
      personIds: ['P0000001', 'P0000002', 'P0000003'],
    });
  });
});
