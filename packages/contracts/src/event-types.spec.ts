import { findEventType, RegistrationEvents, TopicEventTypes, Topics } from './event-types.js';
import { registration } from './index.js';

describe('event types', () => {
  it('names each event by its fully-qualified protobuf message name', () => {
    expect(RegistrationEvents.AddressChanged.typeName).toBe('buergerservice.registration.v1.AddressChanged');
  });

  it('round-trips an event through its protobuf codec', () => {
    const event = registration.AddressChanged.fromPartial({
      moveId: 'move-1',
      kind: registration.MoveKind.MOVE_KIND_WITHIN_CITY,
      personId: 'p-1',
      persons: [{ personId: 'p-1', name: { familyName: 'Müller', givenNames: 'Anna' } }],
      newAddress: { street: 'Georg-Schumann-Straße', houseNumber: '12', postalCode: '04159' },
      moveInDate: '2026-11-02',
      followUps: { vehiclePlates: ['L-AB 1234'], documents: [] },
    });
    const bytes = RegistrationEvents.AddressChanged.codec.encode(event).finish();
    const decoded = RegistrationEvents.AddressChanged.codec.decode(bytes);
    expect(decoded).toEqual(event);
    expect(decoded.persons[0]?.name?.familyName).toBe('Müller');
  });

  it('gives every topic at least one event type and finds types by name', () => {
    for (const topic of Object.values(Topics)) {
      expect(TopicEventTypes[topic].length).toBeGreaterThan(0);
    }
    expect(findEventType('buergerservice.document.v1.DocumentIssued')).toBeDefined();
    expect(findEventType('buergerservice.document.v1.NoSuchEvent')).toBeUndefined();
  });

  it('keeps type names unique across topics', () => {
    const names = Object.values(TopicEventTypes).flatMap((types) => types.map((t) => t.typeName));
    expect(new Set(names).size).toBe(names.length);
  });
});
