import { MemoryAudit } from '../../test/fixtures/memory.js';
import type { AuditEntry } from '../domain/audit.js';
import { fixedClock } from '../domain/clock.js';
import { purgeAuditLog } from './purge-audit-log.js';
import { recordEventTransmissions } from './record-event-transmissions.js';
import { transmittedFields } from './transmitted-fields.js';

function entry(id: string, time: string): AuditEntry {
  return {
    entryId: id,
    time: new Date(time),
    recipient: 'vehicle',
    channel: 'grpc',
    operation: 'GetResidence',
    fields: [],
    personIds: ['P0000001'],
    fileReference: '',
    purpose: 'x',
    actingUserId: '',
    hits: 1,
  };
}

describe('transmissions by event', () => {
  const published = {
    eventId: 'e1',
    eventType: 'buergerservice.registration.v1.AddressChanged',
    personIds: ['P0000001', 'P0000002', 'P0000001'],
    fields: ['persons.name.family_name'],
    fileReference: 'move-1',
    purpose: 'p',
    actingUserId: 'portal-gateway',
    recipients: ['vehicle', 'document', 'appointment', 'portal-gateway'],
  };

  it('are logged once per event and receiving body, idempotently', async () => {
    const audit = new MemoryAudit();
    const deps = { audit, clock: fixedClock(new Date('2025-11-17T09:00:01Z')) };
    await recordEventTransmissions(deps, [published]);
    await recordEventTransmissions(deps, [published]); // re-published after a crash
    expect(audit.entries.map((e) => e.entryId)).toEqual([
      'e1:vehicle',
      'e1:document',
      'e1:appointment',
      'e1:portal-gateway',
    ]);
    expect(audit.entries[0]).toMatchObject({
      channel: 'event',
      operation: published.eventType,
      personIds: ['P0000001', 'P0000002'],
      hits: 2,
      fileReference: 'move-1',
      actingUserId: 'portal-gateway',
    });
  });
});

describe('retention purge', () => {
  it('deletes entries older than twelve months at the injected time, and keeps the rest', async () => {
    const audit = new MemoryAudit();
    await audit.append([
      entry('old', '2024-11-17T08:59:59Z'),
      entry('edge', '2024-11-17T09:00:00Z'),
      entry('young', '2025-06-01T00:00:00Z'),
    ]);
    const clock = fixedClock(new Date('2025-11-17T09:00:00Z'));
    expect(await purgeAuditLog({ audit, clock })).toBe(1);
    expect(audit.entries.map((e) => e.entryId)).toEqual(['edge', 'young']);
    clock.set(new Date('2026-06-01T00:00:01Z'));
    expect(await purgeAuditLog({ audit, clock })).toBe(2);
  });
});

describe('names of transmitted fields', () => {
  it('lists the leaves that carry data, in snake case, arrays merged', () => {
    expect(
      transmittedFields({
        person: {
          personId: 'P1',
          name: { familyName: 'Müller', givenNames: 'Anna', doctoralDegree: '' },
          dateOfBirth: '',
          nationalities: [],
          mainResidence: { address: { street: 'Mozartstraße', houseNumber: '7' }, validFrom: '2025-11-15', type: 1 },
          secondaryResidences: [{ address: { street: 'A' } }, { address: { postalCode: '04229' } }],
          lateRegistration: false,
          recordedAt: new Date(),
          documents: [0],
          plates: ['L-AB 1'],
        },
      }),
    ).toEqual([
      'person.main_residence.address.house_number',
      'person.main_residence.address.street',
      'person.main_residence.type',
      'person.main_residence.valid_from',
      'person.name.family_name',
      'person.name.given_names',
      'person.person_id',
      'person.plates',
      'person.recorded_at',
      'person.secondary_residences.address.postal_code',
      'person.secondary_residences.address.street',
    ]);
  });
});
