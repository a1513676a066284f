import { type OutboxEntry, outboxEntry } from '@buergerservice/event-bus';
import { appointment, type common, DocumentEvents, document, registration, vehicle } from '@buergerservice/contracts';
import { isCalendarDate } from '../domain/calendar.js';
import type { Cause, DocumentEvent, DocumentKind, DocumentStatus, PersonName } from '../domain/document.js';
import { normalizePlate } from '../domain/document.js';
import type {
  AddressChangeFact,
  BookingFact,
  MoveKind,
  PostalAddress,
  ResidenceType,
  RestorationFact,
  VehicleUpdateFact,
} from '../domain/move.js';

/**
 * The event codec: contract messages in, domain facts out, and domain events
 * out as contract messages. The only place besides grpc/ that knows the
 * generated types.
 */

/** A payload that decodes but cannot be a valid event (e.g. no move id): dead-lettered at once, not retried. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  constructor(
    readonly typeName: string,
    /** Field paths and what is wrong; never values (they may be personal data). */
    readonly problems: readonly string[],
  ) {
    super(`invalid ${typeName}: ${problems.join('; ')}`);
  }
}

class Problems {
  readonly list: string[] = [];
  required(path: string, value: string | undefined): void {
    if (!value || value.trim() === '') this.list.push(`${path} is required`);
  }
  check(ok: boolean, path: string, message: string): void {
    if (!ok) this.list.push(`${path} ${message}`);
  }
  throwIfAny(typeName: string): void {
    if (this.list.length > 0) throw new InvalidEventError(typeName, this.list);
  }
}

function toAddress(address: common.Address): PostalAddress {
  return {
    street: address.street,
    houseNumber: address.houseNumber,
    houseNumberSuffix: address.houseNumberSuffix,
    addressAddition: address.addressAddition,
    postalCode: address.postalCode,
    municipality: address.municipality,
    countryCode: address.countryCode,
  };
}

function toName(name: common.PersonName): PersonName {
  return { familyName: name.familyName, givenNames: name.givenNames, doctoralDegree: name.doctoralDegree };
}

function toMoveKind(kind: registration.MoveKind): MoveKind {
  switch (kind) {
    case registration.MoveKind.MOVE_KIND_WITHIN_CITY:
      return 'within-city';
    case registration.MoveKind.MOVE_KIND_INTO_CITY:
      return 'into-city';
    case registration.MoveKind.MOVE_KIND_ABROAD:
      return 'abroad';
    default:
      return 'unspecified';
  }
}

function toResidenceType(type: registration.ResidenceType): ResidenceType {
  switch (type) {
    case registration.ResidenceType.RESIDENCE_TYPE_MAIN:
      return 'main';
    case registration.ResidenceType.RESIDENCE_TYPE_SECONDARY:
      return 'secondary';
    default:
      return 'unspecified';
  }
}

const ADDRESS_CHANGED = 'AddressChanged';

/** A checked event: the move it concerns and its fact, made once the cause (the event's metadata) is known. */
export interface Checked<F> {
  moveId: string;
  fact: (cause: Cause) => F;
}

/** Checks an AddressChanged. */
export function addressChangedFact(event: registration.AddressChanged): Checked<AddressChangeFact> {
  const p = new Problems();
  p.required('move_id', event.moveId);
  p.required('person_id', event.personId);
  p.check(event.persons.length > 0, 'persons', 'must not be empty');
  for (const [i, person] of event.persons.entries()) {
    p.required(`persons[${i}].person_id`, person.personId);
    p.required(`persons[${i}].name.family_name`, person.name?.familyName);
  }
  p.check(event.newAddress !== undefined, 'new_address', 'is required');
  // Not every country has postal codes: required for German addresses only.
  const abroad = event.newAddress?.countryCode !== undefined && !['', 'DE'].includes(event.newAddress.countryCode);
  if (!abroad) p.required('new_address.postal_code', event.newAddress?.postalCode);
  p.required('new_address.municipality', event.newAddress?.municipality);
  p.check(isCalendarDate(event.moveInDate), 'move_in_date', 'must be a date YYYY-MM-DD');
  p.throwIfAny(ADDRESS_CHANGED);
  const documents = event.followUps?.documents ?? [];
  const persons = event.persons.map((person) => ({
    personId: person.personId,
    name: toName(person.name ?? { familyName: '', givenNames: '', doctoralDegree: '' }),
  }));
  const newAddress = toAddress(event.newAddress as common.Address);
  const fact = (cause: Cause): AddressChangeFact => ({
    cause,
    applicantPersonId: event.personId,
    moveKind: toMoveKind(event.kind),
    persons,
    newAddress,
    moveInDate: event.moveInDate,
    residenceType: toResidenceType(event.residenceType),
    wantsRegistrationConfirmation: documents.includes(
      registration.RequestedDocument.REQUESTED_DOCUMENT_REGISTRATION_CONFIRMATION,
    ),
    wantsVehicleRecords: documents.includes(
      registration.RequestedDocument.REQUESTED_DOCUMENT_VEHICLE_REGISTRATION_RECORD,
    ),
    wantsAppointment: event.followUps?.appointment?.wanted ?? false,
  });
  return { moveId: event.moveId, fact };
}

export function addressChangeRevokedFact(event: registration.AddressChangeRevoked): Checked<Cause> {
  const p = new Problems();
  p.required('move_id', event.moveId);
  p.throwIfAny('AddressChangeRevoked');
  return { moveId: event.moveId, fact: (cause) => cause };
}

export function vehicleUpdateFact(event: vehicle.VehicleHolderAddressUpdated): Checked<VehicleUpdateFact> {
  const p = new Problems();
  p.required('move_id', event.moveId);
  p.required('plate', event.plate);
  p.required('holder_person_id', event.holderPersonId);
  p.check(event.newHolderAddress !== undefined, 'new_holder_address', 'is required');
  p.required('new_holder_address.postal_code', event.newHolderAddress?.postalCode);
  p.throwIfAny('VehicleHolderAddressUpdated');
  const address = toAddress(event.newHolderAddress as common.Address);
  return {
    moveId: event.moveId,
    fact: (cause) => ({
      cause,
      plate: normalizePlate(event.plate),
      holderPersonId: event.holderPersonId,
      newHolderAddress: address,
      previousRegistrationDistrict: event.previousRegistrationDistrict,
      newRegistrationDistrict: event.newRegistrationDistrict,
    }),
  };
}

export function vehicleRestorationFact(event: vehicle.VehicleHolderAddressRestored): Checked<RestorationFact> {
  const p = new Problems();
  p.required('move_id', event.moveId);
  p.required('plate', event.plate);
  p.throwIfAny('VehicleHolderAddressRestored');
  return { moveId: event.moveId, fact: (cause) => ({ cause, plate: normalizePlate(event.plate) }) };
}

/** Stand-alone bookings (empty move id) are valid events that concern no document. */
export function bookingFact(event: appointment.AppointmentBooked): Checked<BookingFact> {
  const p = new Problems();
  p.required('appointment_id', event.appointmentId);
  p.required('person_id', event.personId);
  p.throwIfAny('AppointmentBooked');
  return {
    moveId: event.moveId,
    fact: (cause) => ({ cause, appointmentId: event.appointmentId, personId: event.personId }),
  };
}

const KIND: Readonly<Record<DocumentKind, document.DocumentKind>> = {
  'registration-confirmation': document.DocumentKind.DOCUMENT_KIND_REGISTRATION_CONFIRMATION,
  'vehicle-registration-record': document.DocumentKind.DOCUMENT_KIND_VEHICLE_REGISTRATION_RECORD,
  'id-card-address-sticker-order': document.DocumentKind.DOCUMENT_KIND_ID_CARD_ADDRESS_STICKER_ORDER,
};

const STATUS: Readonly<Record<DocumentStatus, document.DocumentStatus>> = {
  pending: document.DocumentStatus.DOCUMENT_STATUS_PENDING,
  valid: document.DocumentStatus.DOCUMENT_STATUS_VALID,
  revoked: document.DocumentStatus.DOCUMENT_STATUS_REVOKED,
};

export function contractKind(kind: DocumentKind): document.DocumentKind {
  return KIND[kind];
}

export function contractStatus(status: DocumentStatus): document.DocumentStatus {
  return STATUS[status];
}

/**
 * A domain event as an outbox entry. Key (and ce_subject) = the applicant's
 * person id, so every event of one move's bundle stays on one partition in
 * order; the document's own subject is `person_id` in the payload. The
 * correlation id of the triggering event is kept; its id is the causation id.
 */
export function encodeDocumentEvent(event: DocumentEvent): OutboxEntry {
  const d = event.document;
  const meta = {
    subject: d.applicantPersonId,
    correlationId: event.cause.correlationId,
    causationId: event.cause.eventId,
  };
  if (event.type === 'issued') {
    return outboxEntry(
      DocumentEvents.DocumentIssued,
      document.DocumentIssued.fromPartial({
        documentId: d.documentId,
        kind: contractKind(d.kind),
        personId: d.personId,
        moveId: d.moveId,
        plate: d.plate,
        documentNumber: d.documentNumber,
        status: contractStatus(event.status),
      }),
      meta,
    );
  }
  return outboxEntry(
    DocumentEvents.DocumentRevoked,
    document.DocumentRevoked.fromPartial({
      documentId: d.documentId,
      kind: contractKind(d.kind),
      personId: d.personId,
      moveId: d.moveId,
      plate: d.plate,
      reason: event.reason,
    }),
    meta,
  );
}
