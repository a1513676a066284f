import { AppointmentEvents, appointment, type registration } from '@buergerservice/contracts';
import { type OutboxEntry, outboxEntry } from '@buergerservice/event-bus';
import type { AddressChangeRevokedCommand } from '../app/react-to-address-change-revoked.js';
import type { AddressChangedCommand } from '../app/react-to-address-changed.js';
import type { OfferedSlot, RaisedEvent } from '../domain/events.js';

/**
 * The one place where this service's domain events meet the contracts: raised
 * events become outbox entries (protobuf payload + CloudEvents metadata), and
 * registration's events become use-case commands.
 */

function toSlot(slot: OfferedSlot): appointment.Slot {
  return {
    locationId: slot.locationId,
    serviceId: slot.serviceId,
    start: slot.start,
    end: slot.end,
    freeCapacity: slot.freeCapacity,
  };
}

/** An outbox entry for a raised event: keyed by the subject (the applicant), in the bundle of its origin. */
export function toOutboxEntry(raised: RaisedEvent, topic: string): OutboxEntry {
  const meta = {
    subject: raised.subject,
    correlationId: raised.origin.correlationId,
    causationId: raised.origin.causationId,
    topic,
  };
  const { event } = raised;
  switch (event.type) {
    case 'AppointmentBooked':
      return outboxEntry(
        AppointmentEvents.AppointmentBooked,
        {
          appointmentId: event.appointmentId,
          personId: event.personId,
          serviceId: event.serviceId,
          locationId: event.locationId,
          start: event.start,
          end: event.end,
          moveId: event.moveId,
        },
        meta,
      );
    case 'AppointmentOffered':
      return outboxEntry(
        AppointmentEvents.AppointmentOffered,
        { moveId: event.moveId, personId: event.personId, serviceId: event.serviceId, slots: event.slots.map(toSlot) },
        meta,
      );
    case 'AppointmentCancelled':
      return outboxEntry(
        AppointmentEvents.AppointmentCancelled,
        { appointmentId: event.appointmentId, personId: event.personId, moveId: event.moveId, reason: event.reason },
        meta,
      );
    case 'AppointmentRescheduled':
      return outboxEntry(
        AppointmentEvents.AppointmentRescheduled,
        {
          appointmentId: event.appointmentId,
          personId: event.personId,
          moveId: event.moveId,
          locationId: event.locationId,
          start: event.start,
          end: event.end,
        },
        meta,
      );
  }
}

/** An event whose content cannot be acted on (a required field is empty): dead-lettered, never retried. */
export class InvalidEventContentError extends Error {
  override readonly name = 'InvalidEventContentError';
}

function required(value: string, field: string, type: string): string {
  if (value.trim() === '') throw new InvalidEventContentError(`${type}: ${field} is empty`);
  return value;
}

export function addressChangedCommand(
  event: registration.AddressChanged,
  meta: { id: string; correlationId: string },
  kinds: { abroad: number },
): AddressChangedCommand {
  const type = 'AddressChanged';
  const preference = event.followUps?.appointment;
  return {
    eventId: meta.id,
    correlationId: meta.correlationId,
    moveId: required(event.moveId, 'move_id', type),
    applicantId: required(event.personId, 'person_id', type),
    personIds: event.persons.map((p) => p.personId).filter((id) => id !== ''),
    district: event.newAddress?.district ?? '',
    movedAbroad: event.kind === kinds.abroad,
    appointment: preference
      ? {
          wanted: preference.wanted,
          locationId: preference.locationId,
          autoBook: preference.autoBook,
          earliestDate: preference.earliestDate,
          interpreterLanguage: preference.interpreterLanguage,
        }
      : undefined,
  };
}

export function addressChangeRevokedCommand(
  event: registration.AddressChangeRevoked,
  meta: { id: string; correlationId: string },
): AddressChangeRevokedCommand {
  const type = 'AddressChangeRevoked';
  return {
    eventId: meta.id,
    correlationId: meta.correlationId,
    moveId: required(event.moveId, 'move_id', type),
    applicantId: required(event.personId, 'person_id', type),
    personIds: event.personIds.filter((id) => id !== ''),
  };
}
