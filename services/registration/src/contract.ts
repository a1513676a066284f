import { common, registration } from '@buergerservice/contracts';
import type { Address } from './domain/address.js';
import type { AuditChannel, AuditEntry } from './domain/audit.js';
import type {
  AppointmentPreference,
  FollowUps,
  Move,
  MovedPerson,
  MoveKind,
  MoveStatus,
  RequestedDocument,
} from './domain/move.js';
import type { PersonName, Residence, ResidenceType } from './domain/person.js';

/**
 * Domain <-> contract mapping shared by both edges of the service (the gRPC
 * handlers and the event codec); nothing else touches generated types.
 */

const { MoveKind: K, ResidenceType: RT, RequestedDocument: RD, MoveStatus: MS, AuditChannel: AC } = registration;

export const moveKindToContract: Record<MoveKind, registration.MoveKind> = {
  'within-city': K.MOVE_KIND_WITHIN_CITY,
  'into-city': K.MOVE_KIND_INTO_CITY,
  abroad: K.MOVE_KIND_ABROAD,
};

export function moveKindFromContract(kind: registration.MoveKind): MoveKind | undefined {
  switch (kind) {
    case K.MOVE_KIND_WITHIN_CITY:
      return 'within-city';
    case K.MOVE_KIND_INTO_CITY:
      return 'into-city';
    case K.MOVE_KIND_ABROAD:
      return 'abroad';
    default:
      return undefined;
  }
}

export const residenceTypeToContract: Record<ResidenceType, registration.ResidenceType> = {
  main: RT.RESIDENCE_TYPE_MAIN,
  secondary: RT.RESIDENCE_TYPE_SECONDARY,
};

export function residenceTypeFromContract(type: registration.ResidenceType): ResidenceType | undefined {
  if (type === RT.RESIDENCE_TYPE_MAIN) return 'main';
  if (type === RT.RESIDENCE_TYPE_SECONDARY) return 'secondary';
  return undefined;
}

export const documentToContract: Record<RequestedDocument, registration.RequestedDocument> = {
  'registration-confirmation': RD.REQUESTED_DOCUMENT_REGISTRATION_CONFIRMATION,
  'vehicle-registration-record': RD.REQUESTED_DOCUMENT_VEHICLE_REGISTRATION_RECORD,
};

export function documentFromContract(document: registration.RequestedDocument): RequestedDocument | undefined {
  if (document === RD.REQUESTED_DOCUMENT_REGISTRATION_CONFIRMATION) return 'registration-confirmation';
  if (document === RD.REQUESTED_DOCUMENT_VEHICLE_REGISTRATION_RECORD) return 'vehicle-registration-record';
  return undefined;
}

const statusToContract: Record<MoveStatus, registration.MoveStatus> = {
  recorded: MS.MOVE_STATUS_RECORDED,
  revoked: MS.MOVE_STATUS_REVOKED,
};

const channelToContract: Record<AuditChannel, registration.AuditChannel> = {
  grpc: AC.AUDIT_CHANNEL_GRPC,
  event: AC.AUDIT_CHANNEL_EVENT,
};

export function addressFromContract(address: common.Address): Address {
  return {
    street: address.street.trim(),
    houseNumber: address.houseNumber.trim(),
    houseNumberSuffix: address.houseNumberSuffix.trim(),
    addressAddition: address.addressAddition.trim(),
    postalCode: address.postalCode.trim(),
    municipality: address.municipality.trim(),
    municipalityKey: address.municipalityKey.trim(),
    streetKey: address.streetKey.trim(),
    district: address.district.trim(),
    countryCode: address.countryCode.trim().toUpperCase(),
  };
}

export function addressToContract(address: Address): common.Address {
  return { ...address };
}

export function nameToContract(name: PersonName): common.PersonName {
  return { ...name };
}

export function movedPersonToContract(person: MovedPerson): registration.MovedPerson {
  return { personId: person.personId, name: nameToContract(person.name) };
}

export function appointmentFromContract(preference: registration.AppointmentPreference): AppointmentPreference {
  return { ...preference };
}

export function followUpsToContract(followUps: FollowUps): registration.FollowUps {
  return {
    vehiclePlates: [...followUps.vehiclePlates],
    documents: followUps.documents.map((d) => documentToContract[d]),
    ...(followUps.appointment ? { appointment: { ...followUps.appointment } } : {}),
  };
}

export function residenceToContract(residence: Residence): registration.Residence {
  return {
    address: addressToContract(residence.address),
    type: residenceTypeToContract[residence.type],
    validFrom: residence.validFrom,
    validUntil: residence.validUntil ?? '',
    moveId: residence.moveId ?? '',
  };
}

export function moveToContract(move: Move): registration.Move {
  return {
    moveId: move.moveId,
    correlationId: move.correlationId,
    kind: moveKindToContract[move.kind],
    personId: move.personId,
    persons: move.persons.map(movedPersonToContract),
    ...(move.previousAddress ? { previousAddress: addressToContract(move.previousAddress) } : {}),
    newAddress: addressToContract(move.newAddress),
    moveInDate: move.moveInDate,
    residenceType: residenceTypeToContract[move.residenceType],
    landlordConfirmationReference: move.landlordConfirmationReference,
    followUps: followUpsToContract(move.followUps),
    status: statusToContract[move.status],
    lateRegistration: move.lateRegistration,
    recordedAt: move.recordedAt,
    revocableUntil: move.revocableUntil,
    ...(move.revokedAt ? { revokedAt: move.revokedAt } : {}),
  };
}

export function auditEntryToContract(entry: AuditEntry): registration.AuditEntry {
  return {
    entryId: entry.entryId,
    time: entry.time,
    recipient: entry.recipient,
    channel: channelToContract[entry.channel],
    operation: entry.operation,
    fields: [...entry.fields],
    personIds: [...entry.personIds],
    fileReference: entry.fileReference,
    purpose: entry.purpose,
    actingUserId: entry.actingUserId,
    hits: entry.hits,
  };
}
