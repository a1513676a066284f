import { RegistrationEvents } from '@buergerservice/contracts';
import type { OutboxDocument, OutboxEntry } from '@buergerservice/event-bus';
import type { RegistrationDeps } from '../app/ports.js';
import { type PublishedEvent, recordEventTransmissions } from '../app/record-event-transmissions.js';
import { transmittedFields } from '../app/transmitted-fields.js';

/** The recipient named for the previous registration office of a notification. */
export function previousOfficeRecipient(municipalityKey: string): string {
  return `meldebehoerde:${municipalityKey}`;
}

const PURPOSE = {
  AddressChanged:
    'Mitteilung der Adressänderung an die beteiligten Stellen des Bürgerservice (Halteranschrift, Meldebestätigung, Termin)',
  AddressChangeRevoked: 'Mitteilung des Widerrufs einer Adressänderung an die beteiligten Stellen',
  PreviousRegistrationOfficeNotified: 'Rückmeldung an die bisher zuständige Meldebehörde (BMG §33)',
} as const;

/**
 * The outbox relay's `onPublished` hook: logs every published event once
 * per receiving body (BMG §40). `recipients` are the consumer groups that
 * read the topic. If logging fails the relay keeps the entries pending and
 * publishes them again, so nothing leaves without a log entry for long, and
 * the log entry ids make the retry harmless.
 */
export function logTransmissions(
  deps: Pick<RegistrationDeps, 'audit' | 'clock'>,
  recipients: readonly string[],
): (entries: readonly OutboxEntry[], doc: OutboxDocument) => Promise<void> {
  return async (entries, doc) => {
    // The client that caused the events: the submitter of a move, the revoker of a revocation.
    const by = doc.submittedBy ?? doc.revokedBy;
    const actingUserId = typeof by === 'string' ? by : '';
    await recordEventTransmissions(
      deps,
      entries.map((entry) => describe(entry, actingUserId, recipients)),
    );
  };
}

/** Decodes an outbox entry into what the log needs. Unknown types fail: they would leave unlogged. */
export function describe(entry: OutboxEntry, actingUserId: string, recipients: readonly string[]): PublishedEvent {
  const base = { eventId: entry.id, eventType: entry.typeName, actingUserId };
  switch (entry.typeName) {
    case RegistrationEvents.AddressChanged.typeName: {
      const event = RegistrationEvents.AddressChanged.codec.decode(entry.payload);
      return {
        ...base,
        personIds: event.persons.map((p) => p.personId),
        fields: transmittedFields(event),
        fileReference: event.moveId,
        purpose: PURPOSE.AddressChanged,
        recipients,
      };
    }
    case RegistrationEvents.AddressChangeRevoked.typeName: {
      const event = RegistrationEvents.AddressChangeRevoked.codec.decode(entry.payload);
      return {
        ...base,
        personIds: event.personIds,
        fields: transmittedFields(event),
        fileReference: event.moveId,
        purpose: PURPOSE.AddressChangeRevoked,
        recipients,
      };
    }
    case RegistrationEvents.PreviousRegistrationOfficeNotified.typeName: {
      const event = RegistrationEvents.PreviousRegistrationOfficeNotified.codec.decode(entry.payload);
      return {
        ...base,
        personIds: event.persons.map((p) => p.personId),
        fields: transmittedFields(event),
        fileReference: event.moveId,
        purpose: PURPOSE.PreviousRegistrationOfficeNotified,
        // The consumer groups of the topic receive it too (see README: a dedicated topic would avoid that).
        recipients: [...recipients, previousOfficeRecipient(event.previousMunicipalityKey)],
      };
    }
    default:
      throw new Error(`outbox entry ${entry.id} has type ${entry.typeName}, unknown to the transmission log`);
  }
}
