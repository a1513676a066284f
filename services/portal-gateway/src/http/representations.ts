import type { StoredBundle } from '../app/ports.js';
import type {
  Appointment,
  IssuedDocument,
  Location,
  OfferedService,
  Slot,
  Verification,
  VehicleSummary,
} from '../domain/authorities.js';

/** The JSON the API answers with (see the schemas in openapi.ts). */

const iso = (date: Date | undefined) => date?.toISOString();

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function bundleJson(bundle: StoredBundle) {
  const { view } = bundle;
  return compact({
    bundleId: bundle.bundleId,
    status: view.status,
    complete: view.complete,
    moveId: view.moveId,
    revocableUntil: iso(bundle.revocableUntil),
    submittedAt: (bundle.submission?.submittedAt ?? bundle.createdAt).toISOString(),
    completedAt: view.completedAt,
    revokedAt: view.revokedAt,
    updatedAt: view.updatedAt,
    steps: view.steps,
  });
}

export function appointmentJson(a: Appointment) {
  return compact({
    appointmentId: a.appointmentId,
    bookingCode: a.bookingCode,
    serviceId: a.serviceId,
    locationId: a.locationId,
    start: iso(a.start),
    end: iso(a.end),
    status: a.status,
    interpreterLanguage: a.interpreterLanguage || undefined,
    moveId: a.moveId || undefined,
  });
}

export function documentJson(d: IssuedDocument) {
  return compact({
    documentId: d.documentId,
    kind: d.kind,
    status: d.status,
    personId: d.personId,
    moveId: d.moveId || undefined,
    plate: d.plate || undefined,
    documentNumber: d.documentNumber,
    issuedAt: iso(d.issuedAt),
    revokedAt: iso(d.revokedAt),
    downloadable: d.status === 'valid' && d.contentType === 'application/pdf',
  });
}

export function slotJson(s: Slot) {
  return compact({
    locationId: s.locationId,
    serviceId: s.serviceId,
    start: iso(s.start),
    end: iso(s.end),
    freeCapacity: s.freeCapacity,
  });
}

export function locationJson(l: Location) {
  return compact({ ...l, nextDates: [...l.nextDates] });
}

export function serviceJson(s: OfferedService) {
  return { ...s, locationIds: [...s.locationIds] };
}

export function vehicleJson(v: VehicleSummary) {
  return { plate: v.plate, make: v.make, model: v.model, status: v.status };
}

export function verificationJson(v: Verification) {
  return v.result === 'unknown' ? { result: v.result } : { ...v, signedFields: { ...v.signedFields } };
}
