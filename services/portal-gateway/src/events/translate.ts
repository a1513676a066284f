import { appointment, document, registration, vehicle } from '@buergerservice/contracts';
import type { DocumentKind, RequestedDocumentKind, SlotRef, TrackerEvent } from '../domain/tracker/events.js';

/**
 * The contracts' events in the tracker's terms. Only what the tracker needs
 * is taken over: ids, plates, kinds, times — and, for the citizen's own
 * status page, the names of the persons who moved.
 */

export interface EventOrigin {
  readonly id: string;
  readonly time: Date;
}

function base(meta: EventOrigin, moveId: string) {
  return { eventId: meta.id, at: meta.time.toISOString(), moveId };
}

const requestedDocuments: Record<number, RequestedDocumentKind> = {
  [registration.RequestedDocument.REQUESTED_DOCUMENT_REGISTRATION_CONFIRMATION]: 'registration-confirmation',
  [registration.RequestedDocument.REQUESTED_DOCUMENT_VEHICLE_REGISTRATION_RECORD]: 'vehicle-registration-record',
};

const documentKinds: Record<number, DocumentKind> = {
  [document.DocumentKind.DOCUMENT_KIND_REGISTRATION_CONFIRMATION]: 'registration-confirmation',
  [document.DocumentKind.DOCUMENT_KIND_VEHICLE_REGISTRATION_RECORD]: 'vehicle-registration-record',
  [document.DocumentKind.DOCUMENT_KIND_ID_CARD_ADDRESS_STICKER_ORDER]: 'id-card-sticker-order',
};

function displayName(person: registration.MovedPerson): string {
  const name = person.name;
  if (!name) return '';
  return [name.doctoralDegree, name.givenNames, name.familyName].filter((part) => part).join(' ');
}

export function fromAddressChanged(e: registration.AddressChanged, meta: EventOrigin): TrackerEvent {
  const followUps = e.followUps;
  return {
    ...base(meta, e.moveId),
    kind: 'address-changed',
    applicantId: e.personId,
    persons: e.persons.map((p) => ({ personId: p.personId, displayName: displayName(p) })),
    plates: [...(followUps?.vehiclePlates ?? [])],
    documents: [...new Set((followUps?.documents ?? []).flatMap((d) => requestedDocuments[d] ?? []))],
    appointment: {
      wanted: followUps?.appointment?.wanted ?? false,
      autoBook: followUps?.appointment?.autoBook ?? false,
    },
  };
}

export function fromAddressChangeRevoked(e: registration.AddressChangeRevoked, meta: EventOrigin): TrackerEvent {
  return { ...base(meta, e.moveId), kind: 'address-change-revoked' };
}

export function fromVehicleUpdated(e: vehicle.VehicleHolderAddressUpdated, meta: EventOrigin): TrackerEvent {
  return { ...base(meta, e.moveId), kind: 'vehicle-updated', plate: e.plate };
}

const rejectionReasons: Record<number, string> = {
  [vehicle.RejectionReason.REJECTION_REASON_NOT_FOUND]: 'not-found',
  [vehicle.RejectionReason.REJECTION_REASON_NOT_HOLDER]: 'not-holder',
  [vehicle.RejectionReason.REJECTION_REASON_DEREGISTERED]: 'deregistered',
  [vehicle.RejectionReason.REJECTION_REASON_INVALID_PLATE]: 'invalid-plate',
};

export function fromVehicleRejected(e: vehicle.VehicleHolderAddressUpdateRejected, meta: EventOrigin): TrackerEvent {
  return {
    ...base(meta, e.moveId),
    kind: 'vehicle-rejected',
    plate: e.plate,
    reason: rejectionReasons[e.reason] ?? 'unspecified',
    message: e.message,
  };
}

export function fromVehicleRestored(e: vehicle.VehicleHolderAddressRestored, meta: EventOrigin): TrackerEvent {
  return { ...base(meta, e.moveId), kind: 'vehicle-restored', plate: e.plate };
}

const iso = (date: Date | undefined) => date?.toISOString() ?? '';

function slot(s: appointment.Slot): SlotRef {
  return { locationId: s.locationId, serviceId: s.serviceId, start: iso(s.start), end: iso(s.end) };
}

export function fromAppointmentBooked(e: appointment.AppointmentBooked, meta: EventOrigin): TrackerEvent {
  return {
    ...base(meta, e.moveId),
    kind: 'appointment-booked',
    appointmentId: e.appointmentId,
    locationId: e.locationId,
    serviceId: e.serviceId,
    start: iso(e.start),
    end: iso(e.end),
  };
}

export function fromAppointmentOffered(e: appointment.AppointmentOffered, meta: EventOrigin): TrackerEvent {
  return { ...base(meta, e.moveId), kind: 'appointment-offered', serviceId: e.serviceId, slots: e.slots.map(slot) };
}

export function fromAppointmentCancelled(e: appointment.AppointmentCancelled, meta: EventOrigin): TrackerEvent {
  return { ...base(meta, e.moveId), kind: 'appointment-cancelled', appointmentId: e.appointmentId, reason: e.reason };
}

export function fromAppointmentRescheduled(e: appointment.AppointmentRescheduled, meta: EventOrigin): TrackerEvent {
  return {
    ...base(meta, e.moveId),
    kind: 'appointment-rescheduled',
    appointmentId: e.appointmentId,
    locationId: e.locationId,
    start: iso(e.start),
    end: iso(e.end),
  };
}

/** Undefined for a kind the tracker does not know (a newer contract): such an event is ignored. */
export function fromDocumentIssued(e: document.DocumentIssued, meta: EventOrigin): TrackerEvent | undefined {
  const documentKind = documentKinds[e.kind];
  if (!documentKind) return undefined;
  return {
    ...base(meta, e.moveId),
    kind: 'document-issued',
    documentId: e.documentId,
    documentKind,
    personId: e.personId,
    plate: e.plate,
    documentNumber: e.documentNumber,
    status: e.status === document.DocumentStatus.DOCUMENT_STATUS_PENDING ? 'pending' : 'valid',
  };
}

export function fromDocumentRevoked(e: document.DocumentRevoked, meta: EventOrigin): TrackerEvent | undefined {
  const documentKind = documentKinds[e.kind];
  if (!documentKind) return undefined;
  return {
    ...base(meta, e.moveId),
    kind: 'document-revoked',
    documentId: e.documentId,
    documentKind,
    personId: e.personId,
    plate: e.plate,
    reason: e.reason,
  };
}
