import { RegistrationEvents } from '@buergerservice/contracts';
import { outboxEntry } from '@buergerservice/event-bus';
import { MemoryAudit } from '../../test/fixtures/memory.js';
import { fixedClock } from '../domain/clock.js';
import { describe as describeEntry, logTransmissions } from './transmission-log.js';

const meta = { subject: 'P0000005', correlationId: 'b', causationId: 'm', id: 'event-1' };
const recipients = ['vehicle', 'document'];

describe('the transmission log of published events', () => {
  const notified = outboxEntry(
    RegistrationEvents.PreviousRegistrationOfficeNotified,
    {
      moveId: 'move-9',
      previousMunicipalityKey: '14612000',
      previousMunicipality: 'Dresden',
      persons: [
        {
          personId: 'P0000005',
          name: { familyName: 'Weber', givenNames: 'Clara', doctoralDegree: '' },
          dateOfBirth: '1990-01-01',
        },
      ],
      moveInDate: '2025-11-15',
      dueByDate: '2025-11-21',
    },
    meta,
  );

  it('names the fields, persons and recipients of a notification, including the previous office', () => {
    expect(describeEntry(notified, 'portal-gateway', recipients)).toEqual({
      eventId: 'event-1',
      eventType: 'buergerservice.registration.v1.PreviousRegistrationOfficeNotified',
      actingUserId: 'portal-gateway',
      personIds: ['P0000005'],
      fields: [
        'due_by_date',
        'move_id',
        'move_in_date',
        'persons.date_of_birth',
        'persons.name.family_name',
        'persons.name.given_names',
        'persons.person_id',
        'previous_municipality',
        'previous_municipality_key',
      ],
      fileReference: 'move-9',
      purpose: 'Rückmeldung an die bisher zuständige Meldebehörde (BMG §33)',
      recipients: ['vehicle', 'document', 'meldebehoerde:14612000'],
    });
  });

  it('writes one entry per recipient from the relay hook, once', async () => {
    const audit = new MemoryAudit();
    const hook = logTransmissions({ audit, clock: fixedClock(new Date('2025-11-17T09:00:00Z')) }, recipients);
    const doc: Parameters<typeof hook>[1] = { _id: 'move-9' as never, submittedBy: 'portal-gateway' };
    await hook([notified], doc);
    await hook([notified], doc);
    expect(audit.entries.map((e) => e.entryId)).toEqual([
      'event-1:vehicle',
      'event-1:document',
      'event-1:meldebehoerde:14612000',
    ]);
  });

  it('refuses to publish an event type it cannot log', () => {
    const foreign = { ...notified, typeName: 'buergerservice.registration.v1.Unknown' };
    expect(() => describeEntry(foreign, '', recipients)).toThrow(/unknown to the transmission log/);
  });
});
