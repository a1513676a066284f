import { type EventMeta, type OutboxEntry, outboxEntry } from '@buergerservice/event-bus';
import { RegistrationEvents, type registration, Topics } from '@buergerservice/contracts';
import type { MoveEvents } from '../app/ports.js';
import { derivedUuid } from '../app/request-identity.js';
import {
  addressToContract,
  followUpsToContract,
  moveKindToContract,
  movedPersonToContract,
  nameToContract,
  residenceTypeToContract,
} from '../contract.js';
import type { Move } from '../domain/move.js';
import type { Person } from '../domain/person.js';

/**
 * The events of the registration office, built as outbox entries so that
 * they are written with the state change that causes them. Payloads carry
 * only what their consumers need (see events.proto): AddressChanged has
 * names for the documents but no dates of birth, nationalities or religion;
 * only the notification to the previous office carries dates of birth, which
 * that office needs to find its records.
 *
 * Metadata: subject and record key = the applicant's person id (so every
 * event of one bundle stays in order on one partition), correlation id = the
 * bundle id from the request, causation id = the move (the registration act
 * the event reports).
 */
export function moveEvents(options: { topic?: string | undefined } = {}): MoveEvents {
  const topic = options.topic ?? Topics.registration;
  // Event ids derive from the move and the event type: a move has each of its
  // events once, so even a write repeated by accident carries the same ce_id
  // and consumers (and the transmission log) see it once.
  const meta = (move: Move, type: { typeName: string }, time: Date): EventMeta => ({
    id: derivedUuid('event', move.moveId, type.typeName),
    subject: move.personId,
    correlationId: move.correlationId,
    causationId: move.moveId,
    time,
    topic,
  });
  return {
    recorded(move: Move, persons: readonly Person[]): OutboxEntry[] {
      const entries = [
        outboxEntry(
          RegistrationEvents.AddressChanged,
          addressChanged(move),
          meta(move, RegistrationEvents.AddressChanged, move.recordedAt),
        ),
      ];
      if (move.notificationDueBy !== undefined && move.previousAddress !== undefined) {
        entries.push(
          outboxEntry(
            RegistrationEvents.PreviousRegistrationOfficeNotified,
            previousOfficeNotified(move, move.previousAddress, move.notificationDueBy, persons),
            meta(move, RegistrationEvents.PreviousRegistrationOfficeNotified, move.recordedAt),
          ),
        );
      }
      return entries;
    },
    revoked(move: Move): OutboxEntry[] {
      const payload: registration.AddressChangeRevoked = {
        moveId: move.moveId,
        personId: move.personId,
        personIds: move.persons.map((p) => p.personId),
      };
      return [
        outboxEntry(
          RegistrationEvents.AddressChangeRevoked,
          payload,
          meta(move, RegistrationEvents.AddressChangeRevoked, move.revokedAt ?? move.recordedAt),
        ),
      ];
    },
  };
}

function addressChanged(move: Move): registration.AddressChanged {
  return {
    moveId: move.moveId,
    kind: moveKindToContract[move.kind],
    personId: move.personId,
    persons: move.persons.map(movedPersonToContract),
    newAddress: addressToContract(move.newAddress),
    moveInDate: move.moveInDate,
    residenceType: residenceTypeToContract[move.residenceType],
    followUps: followUpsToContract(move.followUps),
  };
}

function previousOfficeNotified(
  move: Move,
  previousAddress: NonNullable<Move['previousAddress']>,
  dueBy: string,
  persons: readonly Person[],
): registration.PreviousRegistrationOfficeNotified {
  const byId = new Map(persons.map((p) => [p.personId, p]));
  return {
    moveId: move.moveId,
    previousMunicipalityKey: previousAddress.municipalityKey,
    previousMunicipality: previousAddress.municipality,
    persons: move.persons.map((moved) => ({
      personId: moved.personId,
      name: nameToContract(moved.name),
      dateOfBirth: byId.get(moved.personId)?.dateOfBirth ?? '',
      previousAddress: addressToContract(previousAddress),
    })),
    newAddress: addressToContract(move.newAddress),
    moveInDate: move.moveInDate,
    dueByDate: dueBy,
  };
}
