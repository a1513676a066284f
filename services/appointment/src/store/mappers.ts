import type { AppointmentData, HoldRef } from '../domain/appointment.js';
import type { CancelReason, EventOrigin, OfferedSlot } from '../domain/events.js';
import type { InvitationData } from '../domain/invitation.js';
import type { MoveClaim, MoveData } from '../domain/move.js';
import type { SlotRef } from '../domain/slots.js';
import { instant, numeric, list, oneOf, type Raw, record, text, texts } from './read.js';

/** Documents <-> domain data of the aggregates. `id` is stored as `_id`. */

export function slotFrom(value: unknown, where: string): SlotRef {
  const doc = record(value, where);
  return {
    locationId: text(doc.locationId, `${where}.locationId`),
    groupId: text(doc.groupId, `${where}.groupId`),
    date: text(doc.date, `${where}.date`),
    startMinute: numeric(doc.startMinute, `${where}.startMinute`),
    slotKeys: texts(doc.slotKeys, `${where}.slotKeys`),
    start: instant(doc.start, `${where}.start`),
    end: instant(doc.end, `${where}.end`),
  };
}

function holdFrom(value: unknown, where: string): HoldRef {
  const doc = record(value, where);
  return {
    dayId: text(doc.dayId, `${where}.dayId`),
    key: text(doc.key, `${where}.key`),
    slotKeys: texts(doc.slotKeys, `${where}.slotKeys`),
  };
}

function originFrom(value: unknown, where: string): EventOrigin {
  const doc = record(value, where);
  return {
    correlationId: text(doc.correlationId, `${where}.correlationId`),
    causationId: text(doc.causationId, `${where}.causationId`),
  };
}

export function appointmentFromDoc(doc: Raw): AppointmentData {
  const where = `appointments ${String(doc._id)}`;
  const pending = doc.pending === null || doc.pending === undefined ? null : record(doc.pending, `${where}.pending`);
  const request = doc.request === null || doc.request === undefined ? null : record(doc.request, `${where}.request`);
  return {
    id: text(doc._id, `${where}._id`),
    bookingCode: text(doc.bookingCode, `${where}.bookingCode`),
    personId: text(doc.personId, `${where}.personId`),
    subjectId: text(doc.subjectId, `${where}.subjectId`),
    serviceId: text(doc.serviceId, `${where}.serviceId`),
    moveId: text(doc.moveId, `${where}.moveId`),
    interpreterLanguage: text(doc.interpreterLanguage, `${where}.interpreterLanguage`),
    invitationCode: text(doc.invitationCode, `${where}.invitationCode`),
    state: oneOf(doc.state, ['reserving', 'booked', 'cancelled', 'failed'] as const, `${where}.state`),
    rev: numeric(doc.rev, `${where}.rev`),
    slot: slotFrom(doc.slot, `${where}.slot`),
    pending: pending
      ? { rev: numeric(pending.rev, `${where}.pending.rev`), slot: slotFrom(pending.slot, `${where}.pending.slot`) }
      : null,
    releases: list(doc.releases, `${where}.releases`, holdFrom),
    cancelReason:
      doc.cancelReason === null || doc.cancelReason === undefined
        ? null
        : oneOf<CancelReason>(doc.cancelReason, ['citizen', 'move-revoked', 'office'], `${where}.cancelReason`),
    failure: doc.failure === null || doc.failure === undefined ? null : text(doc.failure, `${where}.failure`),
    origin: originFrom(doc.origin, `${where}.origin`),
    request: request
      ? {
          clientId: text(request.clientId, `${where}.request.clientId`),
          idempotencyKey: text(request.idempotencyKey, `${where}.request.idempotencyKey`),
          fingerprint: text(request.fingerprint, `${where}.request.fingerprint`),
        }
      : null,
    createdAt: instant(doc.createdAt, `${where}.createdAt`),
    updatedAt: instant(doc.updatedAt, `${where}.updatedAt`),
  };
}

/** The fields of an appointment document (without `_id`, version and outbox). */
export function appointmentToDoc(data: AppointmentData): Raw {
  const { id: _id, ...fields } = data;
  return { ...fields };
}

function offeredFrom(value: unknown, where: string): OfferedSlot {
  const doc = record(value, where);
  return {
    locationId: text(doc.locationId, `${where}.locationId`),
    serviceId: text(doc.serviceId, `${where}.serviceId`),
    start: instant(doc.start, `${where}.start`),
    end: instant(doc.end, `${where}.end`),
    freeCapacity: numeric(doc.freeCapacity, `${where}.freeCapacity`),
  };
}

export function moveFromDoc(doc: Raw): MoveData {
  const where = `moves ${String(doc._id)}`;
  const preference =
    doc.preference === null || doc.preference === undefined ? null : record(doc.preference, `${where}.preference`);
  const claims: Record<string, MoveClaim> = {};
  for (const [personId, value] of Object.entries(record(doc.claims ?? {}, `${where}.claims`))) {
    const claim = record(value, `${where}.claims`);
    claims[personId] = {
      appointmentId: text(claim.appointmentId, `${where}.claims.appointmentId`),
      at: instant(claim.at, `${where}.claims.at`),
    };
  }
  return {
    id: text(doc._id, `${where}._id`),
    applicantId: text(doc.applicantId, `${where}.applicantId`),
    personIds: texts(doc.personIds, `${where}.personIds`),
    district: text(doc.district, `${where}.district`),
    serviceId: text(doc.serviceId, `${where}.serviceId`),
    preference: preference
      ? {
          locationId: text(preference.locationId, `${where}.preference.locationId`),
          autoBook: preference.autoBook === true,
          earliestDate: text(preference.earliestDate, `${where}.preference.earliestDate`),
          interpreterLanguage: text(preference.interpreterLanguage, `${where}.preference.interpreterLanguage`),
        }
      : null,
    known: doc.known === true,
    status: oneOf(doc.status, ['received', 'offered', 'booked', 'revoked'] as const, `${where}.status`),
    claims,
    offered: list(doc.offered, `${where}.offered`, offeredFrom),
    origin: doc.origin === null || doc.origin === undefined ? null : originFrom(doc.origin, `${where}.origin`),
    createdAt: instant(doc.createdAt, `${where}.createdAt`),
    updatedAt: instant(doc.updatedAt, `${where}.updatedAt`),
  };
}

export function moveToDoc(data: MoveData): Raw {
  const { id: _id, ...fields } = data;
  return { ...fields };
}

export function invitationFromDoc(doc: Raw): InvitationData {
  const where = `invitations ${String(doc._id)}`;
  const usedBy = doc.usedBy === null || doc.usedBy === undefined ? null : record(doc.usedBy, `${where}.usedBy`);
  return {
    code: text(doc._id, `${where}._id`),
    personId: text(doc.personId, `${where}.personId`),
    serviceId: text(doc.serviceId, `${where}.serviceId`),
    validUntil: text(doc.validUntil, `${where}.validUntil`),
    authorityId: text(doc.authorityId, `${where}.authorityId`),
    clientId: text(doc.clientId, `${where}.clientId`),
    usedBy: usedBy
      ? {
          appointmentId: text(usedBy.appointmentId, `${where}.usedBy.appointmentId`),
          at: instant(usedBy.at, `${where}.usedBy.at`),
        }
      : null,
    createdAt: instant(doc.createdAt, `${where}.createdAt`),
  };
}

export function invitationToDoc(data: InvitationData): Raw {
  const { code: _code, ...fields } = data;
  return { ...fields };
}
