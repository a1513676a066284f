import type { AuditEntry } from '../domain/audit.js';
import type { RegistrationDeps } from './ports.js';

/** One published event as the transmission log needs it. */
export interface PublishedEvent {
  readonly eventId: string;
  /** Event type, e.g. "buergerservice.registration.v1.AddressChanged". */
  readonly eventType: string;
  readonly personIds: readonly string[];
  /** Names of the data fields the event carries. */
  readonly fields: readonly string[];
  /** The move the event is about. */
  readonly fileReference: string;
  readonly purpose: string;
  /** The client that caused it, e.g. "portal-gateway". */
  readonly actingUserId: string;
  /** Every body that receives the event. */
  readonly recipients: readonly string[];
}

/**
 * Logs the transmission of published events (BMG §40): one entry per event
 * and receiving body. Entry ids derive from the event id and the recipient,
 * so a re-publication after a crash does not log it twice.
 */
export async function recordEventTransmissions(
  deps: Pick<RegistrationDeps, 'audit' | 'clock'>,
  published: readonly PublishedEvent[],
): Promise<void> {
  const time = deps.clock.now();
  const entries: AuditEntry[] = published.flatMap((event) =>
    [...new Set(event.recipients)].map((recipient) => ({
      entryId: `${event.eventId}:${recipient}`,
      time,
      recipient,
      channel: 'event' as const,
      operation: event.eventType,
      fields: [...event.fields],
      personIds: [...new Set(event.personIds)],
      fileReference: event.fileReference,
      purpose: event.purpose,
      actingUserId: event.actingUserId,
      hits: new Set(event.personIds).size,
    })),
  );
  if (entries.length > 0) await deps.audit.appendOnce(entries);
}
