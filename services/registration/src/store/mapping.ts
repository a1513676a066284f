import type { Address } from '../domain/address.js';
import type { AuditEntry } from '../domain/audit.js';
import type { Move } from '../domain/move.js';
import type { Person, Residence } from '../domain/person.js';
import type { AddressDoc, AuditEntryDoc, MoveDoc, NameDoc, PersonDoc, ResidenceDoc, RevocationDoc } from './models.js';

/** Documents <-> domain objects. Optional fields are stored absent, never as undefined-valued keys. */

export function addressFromDoc(doc: AddressDoc): Address {
  return {
    street: doc.street ?? '',
    houseNumber: doc.houseNumber ?? '',
    houseNumberSuffix: doc.houseNumberSuffix ?? '',
    addressAddition: doc.addressAddition ?? '',
    postalCode: doc.postalCode ?? '',
    municipality: doc.municipality ?? '',
    municipalityKey: doc.municipalityKey ?? '',
    streetKey: doc.streetKey ?? '',
    district: doc.district ?? '',
    countryCode: doc.countryCode ?? '',
  };
}

function nameFromDoc(doc: NameDoc): Person['name'] {
  return {
    familyName: doc.familyName ?? '',
    givenNames: doc.givenNames ?? '',
    doctoralDegree: doc.doctoralDegree ?? '',
  };
}

export function residenceFromDoc(doc: ResidenceDoc): Residence {
  return {
    address: addressFromDoc(doc.address),
    type: doc.type,
    validFrom: doc.validFrom,
    ...(doc.validUntil ? { validUntil: doc.validUntil } : {}),
    ...(doc.moveId ? { moveId: doc.moveId } : {}),
  };
}

export function residenceToDoc(residence: Residence): ResidenceDoc {
  return {
    address: { ...residence.address },
    type: residence.type,
    validFrom: residence.validFrom,
    ...(residence.validUntil ? { validUntil: residence.validUntil } : {}),
    ...(residence.moveId ? { moveId: residence.moveId } : {}),
  };
}

export function personFromDoc(doc: PersonDoc): Person {
  return {
    personId: doc._id,
    name: nameFromDoc(doc.name),
    dateOfBirth: doc.dateOfBirth,
    nationalities: [...(doc.nationalities ?? [])],
    religiousAffiliation: doc.religiousAffiliation ?? '',
    householdId: doc.householdId ?? '',
    minorInCarePersonIds: [...(doc.minorInCarePersonIds ?? [])],
    residences: (doc.residences ?? []).map(residenceFromDoc),
  };
}

export function personToDoc(person: Person): PersonDoc {
  return {
    _id: person.personId,
    name: { ...person.name },
    dateOfBirth: person.dateOfBirth,
    nationalities: [...person.nationalities],
    religiousAffiliation: person.religiousAffiliation,
    householdId: person.householdId,
    minorInCarePersonIds: [...person.minorInCarePersonIds],
    residences: person.residences.map(residenceToDoc),
  };
}

export function moveToDoc(move: Move): Omit<MoveDoc, 'outbox' | 'outboxLease'> {
  return {
    _id: move.moveId,
    idempotencyKey: move.idempotencyKey,
    requestFingerprint: move.requestFingerprint,
    submittedBy: move.submittedBy,
    correlationId: move.correlationId,
    kind: move.kind,
    personId: move.personId,
    personIds: move.persons.map((p) => p.personId),
    persons: move.persons.map((p) => ({ personId: p.personId, name: { ...p.name } })),
    ...(move.previousAddress ? { previousAddress: { ...move.previousAddress } } : {}),
    newAddress: { ...move.newAddress },
    moveInDate: move.moveInDate,
    residenceType: move.residenceType,
    landlordConfirmationReference: move.landlordConfirmationReference,
    followUps: {
      vehiclePlates: [...move.followUps.vehiclePlates],
      documents: [...move.followUps.documents],
      ...(move.followUps.appointment ? { appointment: { ...move.followUps.appointment } } : {}),
    },
    lateRegistration: move.lateRegistration,
    recordedAt: move.recordedAt,
    revocableUntil: move.revocableUntil,
    pendingUntil: move.pendingUntil,
    ...(move.notificationDueBy ? { notificationDueBy: move.notificationDueBy } : {}),
  };
}

/** A move as stored, with its revocation if there is one. */
export function moveFromDoc(
  doc: Omit<MoveDoc, 'outbox' | 'outboxLease'>,
  revocation?: Pick<RevocationDoc, 'revokedAt' | 'reason' | 'revokedBy'> | null,
): Move {
  const appointment = doc.followUps?.appointment;
  return {
    moveId: doc._id,
    idempotencyKey: doc.idempotencyKey,
    requestFingerprint: doc.requestFingerprint,
    submittedBy: doc.submittedBy,
    correlationId: doc.correlationId,
    kind: doc.kind,
    personId: doc.personId,
    persons: doc.persons.map((p) => ({ personId: p.personId, name: nameFromDoc(p.name) })),
    ...(doc.previousAddress ? { previousAddress: addressFromDoc(doc.previousAddress) } : {}),
    newAddress: addressFromDoc(doc.newAddress),
    moveInDate: doc.moveInDate,
    residenceType: doc.residenceType,
    landlordConfirmationReference: doc.landlordConfirmationReference ?? '',
    followUps: {
      vehiclePlates: [...(doc.followUps?.vehiclePlates ?? [])],
      documents: [...(doc.followUps?.documents ?? [])],
      ...(appointment
        ? {
            appointment: {
              wanted: appointment.wanted ?? false,
              locationId: appointment.locationId ?? '',
              autoBook: appointment.autoBook ?? false,
              earliestDate: appointment.earliestDate ?? '',
              interpreterLanguage: appointment.interpreterLanguage ?? '',
            },
          }
        : {}),
    },
    status: revocation ? 'revoked' : 'recorded',
    lateRegistration: doc.lateRegistration,
    recordedAt: doc.recordedAt,
    revocableUntil: doc.revocableUntil,
    pendingUntil: doc.pendingUntil,
    ...(doc.notificationDueBy ? { notificationDueBy: doc.notificationDueBy } : {}),
    ...(revocation
      ? { revokedAt: revocation.revokedAt, revocationReason: revocation.reason ?? '', revokedBy: revocation.revokedBy }
      : {}),
  };
}

export function auditEntryToDoc(entry: AuditEntry): AuditEntryDoc {
  return {
    _id: entry.entryId,
    time: entry.time,
    recipient: entry.recipient,
    channel: entry.channel,
    operation: entry.operation,
    fields: [...entry.fields],
    personIds: [...entry.personIds],
    fileReference: entry.fileReference,
    purpose: entry.purpose,
    actingUserId: entry.actingUserId,
    hits: entry.hits,
  };
}

export function auditEntryFromDoc(doc: AuditEntryDoc): AuditEntry {
  return {
    entryId: doc._id,
    time: doc.time,
    recipient: doc.recipient,
    channel: doc.channel,
    operation: doc.operation,
    fields: [...(doc.fields ?? [])],
    personIds: [...(doc.personIds ?? [])],
    fileReference: doc.fileReference ?? '',
    purpose: doc.purpose ?? '',
    actingUserId: doc.actingUserId ?? '',
    hits: doc.hits,
  };
}
