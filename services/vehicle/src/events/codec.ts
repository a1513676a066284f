import { type registration, vehicle, VehicleEvents } from '@buergerservice/contracts';
import { type OutboxEntry, outboxEntry } from '@buergerservice/event-bus';
import type { EventContext } from '../app/ports.js';
import { addressFromContract, addressToContract } from '../contract-address.js';
import type { VehicleDomainEvent } from '../domain/events.js';
import { isPersonId } from '../domain/identifiers.js';
import type { MoveNotice } from '../domain/move.js';
import type { RejectionReason } from '../domain/rejection.js';

/**
 * The event codec: the only place besides grpc/ that knows the generated
 * contract types. Incoming registration events become domain commands;
 * domain events become outbox entries of vehicle.events.v1.
 */

/** An event that decodes as protobuf but cannot be acted on: dead-lettered at once, retrying cannot fix it. */
export class UnusableEventError extends Error {
  override readonly name = 'UnusableEventError';
}

function requireMoveId(value: string, problems: string[]): void {
  if (value.trim() === '') problems.push('move_id is missing');
}

function requirePersonId(value: string, field: string, problems: string[]): void {
  if (!isPersonId(value)) problems.push(`${field} is not a person id`);
}

/** Checks what the reaction to AddressChanged relies on; throws UnusableEventError naming the fields (never values). */
export function checkAddressChanged(event: registration.AddressChanged): void {
  const problems: string[] = [];
  requireMoveId(event.moveId, problems);
  requirePersonId(event.personId, 'person_id', problems);
  for (const [i, p] of event.persons.entries()) requirePersonId(p.personId, `persons[${i}].person_id`, problems);
  if ((event.followUps?.vehiclePlates.length ?? 0) > 0 && !event.newAddress) problems.push('new_address is missing');
  if (problems.length > 0) throw new UnusableEventError(`AddressChanged unusable: ${problems.join('; ')}`);
}

export function checkAddressChangeRevoked(event: registration.AddressChangeRevoked): void {
  const problems: string[] = [];
  requireMoveId(event.moveId, problems);
  requirePersonId(event.personId, 'person_id', problems);
  if (problems.length > 0) throw new UnusableEventError(`AddressChangeRevoked unusable: ${problems.join('; ')}`);
}

// MoveKind.MOVE_KIND_ABROAD; compared by value so the codec needs no runtime import of the registration package.
const MOVE_KIND_ABROAD = 3;

/** AddressChanged -> the move as the register needs it; `recordedAt` is the event's time. */
export function moveNoticeFrom(event: registration.AddressChanged, recordedAt: Date): MoveNotice {
  return {
    moveId: event.moveId,
    applicantId: event.personId,
    personIds: [event.personId, ...event.persons.map((p) => p.personId)].filter((id, i, all) => all.indexOf(id) === i),
    newAddress: addressFromContract(event.newAddress),
    abroad: event.kind === MOVE_KIND_ABROAD,
    plates: event.followUps?.vehiclePlates ?? [],
    recordedAt,
  };
}

const rejectionReasons: Record<RejectionReason, vehicle.RejectionReason> = {
  'not-found': vehicle.RejectionReason.REJECTION_REASON_NOT_FOUND,
  'not-holder': vehicle.RejectionReason.REJECTION_REASON_NOT_HOLDER,
  deregistered: vehicle.RejectionReason.REJECTION_REASON_DEREGISTERED,
  'invalid-plate': vehicle.RejectionReason.REJECTION_REASON_INVALID_PLATE,
  'moved-abroad': vehicle.RejectionReason.REJECTION_REASON_MOVED_ABROAD,
  'outside-district': vehicle.RejectionReason.REJECTION_REASON_OUTSIDE_DISTRICT,
};

export function rejectionReasonToContract(reason: RejectionReason): vehicle.RejectionReason {
  return rejectionReasons[reason];
}

/** A domain event as an outbox entry on `topic` (vehicle.events.v1 unless configured otherwise). */
export function toOutboxEntry(event: VehicleDomainEvent, context: EventContext, topic: string): OutboxEntry {
  const meta = { subject: context.key, correlationId: context.correlationId, causationId: context.causationId, topic };
  switch (event.type) {
    case 'holder-address-updated':
      return outboxEntry(
        VehicleEvents.VehicleHolderAddressUpdated,
        {
          moveId: event.moveId,
          plate: event.plate,
          holderPersonId: event.holderPersonId,
          newHolderAddress: addressToContract(event.holderAddress),
          previousRegistrationDistrict: event.previousDistrict,
          newRegistrationDistrict: event.district,
        },
        meta,
      );
    case 'holder-address-update-rejected':
      return outboxEntry(
        VehicleEvents.VehicleHolderAddressUpdateRejected,
        {
          moveId: event.moveId,
          plate: event.plate,
          personId: event.applicantId,
          reason: rejectionReasonToContract(event.reason),
          message: event.message,
        },
        meta,
      );
    case 'holder-address-restored':
      return outboxEntry(
        VehicleEvents.VehicleHolderAddressRestored,
        {
          moveId: event.moveId,
          plate: event.plate,
          holderPersonId: event.holderPersonId,
          restoredHolderAddress: addressToContract(event.holderAddress),
          restoredRegistrationDistrict: event.district,
        },
        meta,
      );
    case 'vehicle-registered':
      return outboxEntry(
        VehicleEvents.VehicleRegistered,
        { plate: event.plate, holderPersonId: event.holderPersonId, registrationDistrict: event.district },
        meta,
      );
    case 'vehicle-deregistered':
      return outboxEntry(
        VehicleEvents.VehicleDeregistered,
        { plate: event.plate, holderPersonId: event.holderPersonId },
        meta,
      );
  }
}
