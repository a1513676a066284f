import type {
  AppointmentWish,
  DocumentKind,
  MovedPersonRef,
  RequestedDocumentKind,
  SlotRef,
  TrackerEvent,
} from './events.js';

/**
 * The facts the tracker knows about one bundle. They are merged, not
 * transitioned: every event adds a fact, and when two facts compete for one
 * place the earlier (or, for schedules and offers, the later) by
 * (time, event id) wins. The merge is therefore commutative, associative and
 * idempotent — delivering the same events in any order, any number of times,
 * gives the same facts. That is what makes the read model rebuildable from the
 * topics although four topics are consumed concurrently and out of order.
 * The statuses the citizen sees are derived from the facts (view.ts).
 */

/** A fact with the time it happened and the event that told it. */
export type Fact<T = object> = T & { readonly at: string; readonly eventId: string };

export interface RegistrationFact {
  readonly moveId: string;
  readonly applicantId: string;
  readonly persons: readonly MovedPersonRef[];
  readonly plates: readonly string[];
  readonly documents: readonly RequestedDocumentKind[];
  readonly appointment: AppointmentWish;
}

export interface VehicleFacts {
  readonly updated?: Fact;
  readonly rejected?: Fact<{ readonly reason: string; readonly message: string }>;
  readonly restored?: Fact;
}

export interface DocumentAttributes {
  readonly kind: DocumentKind;
  readonly personId: string;
  readonly plate: string;
}

export interface DocumentFacts {
  readonly issued?: Fact<
    DocumentAttributes & { readonly documentNumber: string; readonly status: 'valid' | 'pending' }
  >;
  readonly revoked?: Fact<DocumentAttributes & { readonly reason: string }>;
}

export interface Schedule {
  readonly locationId: string;
  readonly start: string;
  readonly end: string;
}

export interface AppointmentFacts {
  readonly booked?: Fact<Schedule & { readonly serviceId: string }>;
  /** The latest schedule: the booking or a later rescheduling. */
  readonly schedule?: Fact<Schedule>;
  readonly cancelled?: Fact<{ readonly reason: string }>;
}

export interface BundleFacts {
  /** The move as recorded (AddressChanged). */
  readonly registration?: Fact<RegistrationFact>;
  readonly revocation?: Fact;
  /** By plate. */
  readonly vehicles: Readonly<Record<string, VehicleFacts>>;
  /** By document id. */
  readonly documents: Readonly<Record<string, DocumentFacts>>;
  /** By appointment id. */
  readonly appointments: Readonly<Record<string, AppointmentFacts>>;
  /** The latest offer of slots. */
  readonly offer?: Fact<{ readonly serviceId: string; readonly slots: readonly SlotRef[] }>;
  /** Move id, as soon as any event or the submission named it. */
  readonly moveId?: string;
}

export function emptyFacts(): BundleFacts {
  return { vehicles: {}, documents: {}, appointments: {} };
}

/** Orders facts by time, then event id, so that ties are broken the same way everywhere. */
function compareFacts(a: Fact, b: Fact): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  if (a.eventId !== b.eventId) return a.eventId < b.eventId ? -1 : 1;
  return 0;
}

function earliest<T extends Fact>(current: T | undefined, candidate: T): T {
  return current === undefined || compareFacts(candidate, current) < 0 ? candidate : current;
}

function latest<T extends Fact>(current: T | undefined, candidate: T): T {
  return current === undefined || compareFacts(candidate, current) > 0 ? candidate : current;
}

/** The smaller of two move ids, so that the choice does not depend on order (in practice they agree). */
function mergeMoveId(current: string | undefined, candidate: string): string | undefined {
  if (!candidate) return current;
  if (current === undefined || candidate < current) return candidate;
  return current;
}

function withEntry<T>(map: Readonly<Record<string, T>>, key: string, update: (entry: T | undefined) => T) {
  return { ...map, [key]: update(map[key]) };
}

/** Merges one event into the facts. Pure; returns a new object. */
export function applyEvent(facts: BundleFacts, event: TrackerEvent): BundleFacts {
  const base = { at: event.at, eventId: event.eventId };
  const next: BundleFacts = { ...facts };
  const moveId = mergeMoveId(facts.moveId, event.moveId);
  const merged = moveId === undefined ? next : { ...next, moveId };
  switch (event.kind) {
    case 'address-changed':
      return {
        ...merged,
        registration: earliest(facts.registration, {
          ...base,
          moveId: event.moveId,
          applicantId: event.applicantId,
          persons: event.persons.map((p) => ({ personId: p.personId, displayName: p.displayName })),
          plates: [...event.plates],
          documents: [...event.documents],
          appointment: { wanted: event.appointment.wanted, autoBook: event.appointment.autoBook },
        }),
      };
    case 'address-change-revoked':
      return { ...merged, revocation: earliest(facts.revocation, base) };
    case 'vehicle-updated':
      return {
        ...merged,
        vehicles: withEntry(facts.vehicles, event.plate, (v) => ({ ...v, updated: earliest(v?.updated, base) })),
      };
    case 'vehicle-rejected':
      return {
        ...merged,
        vehicles: withEntry(facts.vehicles, event.plate, (v) => ({
          ...v,
          rejected: earliest(v?.rejected, { ...base, reason: event.reason, message: event.message }),
        })),
      };
    case 'vehicle-restored':
      return {
        ...merged,
        vehicles: withEntry(facts.vehicles, event.plate, (v) => ({ ...v, restored: earliest(v?.restored, base) })),
      };
    case 'document-issued': {
      const attributes = { kind: event.documentKind, personId: event.personId, plate: event.plate };
      return {
        ...merged,
        documents: withEntry(facts.documents, event.documentId, (d) => ({
          ...d,
          issued: earliest(d?.issued, {
            ...base,
            ...attributes,
            documentNumber: event.documentNumber,
            status: event.status,
          }),
        })),
      };
    }
    case 'document-revoked': {
      const attributes = { kind: event.documentKind, personId: event.personId, plate: event.plate };
      return {
        ...merged,
        documents: withEntry(facts.documents, event.documentId, (d) => ({
          ...d,
          revoked: earliest(d?.revoked, { ...base, ...attributes, reason: event.reason }),
        })),
      };
    }
    case 'appointment-booked': {
      const schedule = { locationId: event.locationId, start: event.start, end: event.end };
      return {
        ...merged,
        appointments: withEntry(facts.appointments, event.appointmentId, (a) => ({
          ...a,
          booked: earliest(a?.booked, { ...base, ...schedule, serviceId: event.serviceId }),
          schedule: latest(a?.schedule, { ...base, ...schedule }),
        })),
      };
    }
    case 'appointment-rescheduled': {
      const schedule = { locationId: event.locationId, start: event.start, end: event.end };
      return {
        ...merged,
        appointments: withEntry(facts.appointments, event.appointmentId, (a) => ({
          ...a,
          schedule: latest(a?.schedule, { ...base, ...schedule }),
        })),
      };
    }
    case 'appointment-cancelled':
      return {
        ...merged,
        appointments: withEntry(facts.appointments, event.appointmentId, (a) => ({
          ...a,
          cancelled: earliest(a?.cancelled, { ...base, reason: event.reason }),
        })),
      };
    case 'appointment-offered':
      return {
        ...merged,
        offer: latest(facts.offer, {
          ...base,
          serviceId: event.serviceId,
          slots: event.slots.map((s) => ({ ...s })),
        }),
      };
  }
}

/** Folds events into facts; the result is the same for any order and any duplicates of `events`. */
export function foldEvents(events: readonly TrackerEvent[], start: BundleFacts = emptyFacts()): BundleFacts {
  return events.reduce(applyEvent, start);
}
