/**
 * What the request tracker learns from the authorities' domain events, in the
 * tracker's own terms (the contracts' types stay in src/events/). Every event
 * carries its id and the time it happened (`at`, ISO 8601), which make the
 * merge in facts.ts independent of the order of delivery.
 */

export type RequestedDocumentKind = 'registration-confirmation' | 'vehicle-registration-record';
export type DocumentKind = RequestedDocumentKind | 'id-card-sticker-order';

export interface MovedPersonRef {
  readonly personId: string;
  /** Name as on documents, for the citizen's own status page; never logged. */
  readonly displayName: string;
}

export interface AppointmentWish {
  readonly wanted: boolean;
  readonly autoBook: boolean;
}

export interface SlotRef {
  readonly locationId: string;
  readonly serviceId: string;
  readonly start: string;
  readonly end: string;
}

interface EventBase {
  /** Event id (`ce_id`); deduplication and the tie-break of equal times. */
  readonly eventId: string;
  /** When the fact happened (`ce_time`), ISO 8601. */
  readonly at: string;
  /** The move; empty when the event names none. */
  readonly moveId: string;
}

export type TrackerEvent =
  | (EventBase & {
      readonly kind: 'address-changed';
      readonly applicantId: string;
      readonly persons: readonly MovedPersonRef[];
      readonly plates: readonly string[];
      readonly documents: readonly RequestedDocumentKind[];
      readonly appointment: AppointmentWish;
    })
  | (EventBase & { readonly kind: 'address-change-revoked' })
  | (EventBase & { readonly kind: 'vehicle-updated'; readonly plate: string })
  | (EventBase & {
      readonly kind: 'vehicle-rejected';
      readonly plate: string;
      readonly reason: string;
      readonly message: string;
    })
  | (EventBase & { readonly kind: 'vehicle-restored'; readonly plate: string })
  | (EventBase & {
      readonly kind: 'appointment-booked';
      readonly appointmentId: string;
      readonly locationId: string;
      readonly serviceId: string;
      readonly start: string;
      readonly end: string;
    })
  | (EventBase & {
      readonly kind: 'appointment-offered';
      readonly serviceId: string;
      readonly slots: readonly SlotRef[];
    })
  | (EventBase & { readonly kind: 'appointment-cancelled'; readonly appointmentId: string; readonly reason: string })
  | (EventBase & {
      readonly kind: 'appointment-rescheduled';
      readonly appointmentId: string;
      readonly locationId: string;
      readonly start: string;
      readonly end: string;
    })
  | (EventBase & {
      readonly kind: 'document-issued';
      readonly documentId: string;
      readonly documentKind: DocumentKind;
      readonly personId: string;
      readonly plate: string;
      readonly documentNumber: string;
      /** "valid" for PDFs, "pending" for an order waiting for its appointment. */
      readonly status: 'valid' | 'pending';
    })
  | (EventBase & {
      readonly kind: 'document-revoked';
      readonly documentId: string;
      readonly documentKind: DocumentKind;
      readonly personId: string;
      readonly plate: string;
      readonly reason: string;
    });

export type TrackerEventKind = TrackerEvent['kind'];
