import {
  type Cause,
  type DocumentKind,
  type DocumentStatus,
  documentIds,
  normalizePlate,
  type PersonName,
  type RevocationReason,
  STATUS_RANK,
} from './document.js';

/**
 * What the document service knows about one move, gathered from three topics
 * (registration, vehicle, appointment). Kafka orders events per partition,
 * not across topics: a vehicle update or a booking may arrive before the
 * AddressChanged that caused it. So the facts are kept as sets, each added
 * at most once, and the documents are derived from the whole set
 * (`planDocuments`): the outcome does not depend on the order of arrival.
 */
export interface MoveFacts {
  moveId: string;
  /** Grows with every fact added; used to notice facts that arrived while documents were being made. */
  version: number;
  addressChange?: AddressChangeFact | undefined;
  revocation?: Cause | undefined;
  vehicleUpdates: VehicleUpdateFact[];
  restorations: RestorationFact[];
  bookings: BookingFact[];
}

export type MoveKind = 'within-city' | 'into-city' | 'abroad' | 'unspecified';
export type ResidenceType = 'main' | 'secondary' | 'unspecified';

export interface PostalAddress {
  street: string;
  houseNumber: string;
  houseNumberSuffix: string;
  addressAddition: string;
  postalCode: string;
  municipality: string;
  countryCode: string;
}

export interface MovedPerson {
  personId: string;
  name: PersonName;
}

export interface AddressChangeFact {
  cause: Cause;
  applicantPersonId: string;
  moveKind: MoveKind;
  /** Everyone the move covers, applicant first. */
  persons: MovedPerson[];
  newAddress: PostalAddress;
  /** "YYYY-MM-DD". */
  moveInDate: string;
  residenceType: ResidenceType;
  wantsRegistrationConfirmation: boolean;
  wantsVehicleRecords: boolean;
  wantsAppointment: boolean;
}

export interface VehicleUpdateFact {
  cause: Cause;
  /** Normalised (see normalizePlate). */
  plate: string;
  holderPersonId: string;
  newHolderAddress: PostalAddress;
  previousRegistrationDistrict: string;
  newRegistrationDistrict: string;
}

export interface RestorationFact {
  cause: Cause;
  plate: string;
}

export interface BookingFact {
  cause: Cause;
  appointmentId: string;
  personId: string;
}

export function emptyMove(moveId: string): MoveFacts {
  return { moveId, version: 0, vehicleUpdates: [], restorations: [], bookings: [] };
}

/** What a registration confirmation shows. */
export interface RegistrationConfirmationContent {
  kind: 'registration-confirmation';
  name: PersonName;
  moveKind: MoveKind;
  address: PostalAddress;
  moveInDate: string;
  residenceType: ResidenceType;
}

/** What a vehicle registration record shows. */
export interface VehicleRecordContent {
  kind: 'vehicle-registration-record';
  name: PersonName;
  plate: string;
  address: PostalAddress;
  moveInDate: string;
  previousRegistrationDistrict: string;
  newRegistrationDistrict: string;
}

export type PrintedContent = RegistrationConfirmationContent | VehicleRecordContent;

/** A document the facts call for, with the status the facts give it. */
export interface PlannedDocument {
  documentId: string;
  kind: DocumentKind;
  personId: string;
  applicantPersonId: string;
  moveId: string;
  plate: string;
  target: DocumentStatus;
  /** The fact that calls for the document. */
  cause: Cause;
  /** For orders with a booking: the booking. */
  completion?: Cause | undefined;
  /** When revoked: why, and the fact that revoked it. */
  revocation?: { reason: RevocationReason; cause: Cause } | undefined;
  /** What to print; undefined for orders. */
  content?: PrintedContent | undefined;
}

/** Facts that are known but lead to no document, for the log. */
export interface PlanNote {
  moveId: string;
  plate: string;
  note: 'holder-not-in-move';
}

export interface Plan {
  documents: PlannedDocument[];
  notes: PlanNote[];
}

/**
 * The documents a move's facts call for:
 * - a registration confirmation per person covered, when asked for;
 * - a vehicle record per plate whose holder address was updated, when asked for;
 * - an ID-card sticker order for the applicant, when the appointment was wanted:
 *   pending, valid once a booking for the move is known;
 * each revoked when the move was revoked (or, for a vehicle record, the
 * holder address restored). Nothing is planned before AddressChanged is known.
 */
export function planDocuments(move: MoveFacts): Plan {
  const change = move.addressChange;
  if (!change) return { documents: [], notes: [] };
  const documents: PlannedDocument[] = [];
  const notes: PlanNote[] = [];
  const moveRevocation = move.revocation ? { reason: 'move-revoked' as const, cause: move.revocation } : undefined;
  const base = { applicantPersonId: change.applicantPersonId, moveId: move.moveId };

  if (change.wantsRegistrationConfirmation) {
    for (const person of change.persons) {
      documents.push({
        ...base,
        documentId: documentIds.registrationConfirmation(move.moveId, person.personId),
        kind: 'registration-confirmation',
        personId: person.personId,
        plate: '',
        target: moveRevocation ? 'revoked' : 'valid',
        cause: change.cause,
        revocation: moveRevocation,
        content: {
          kind: 'registration-confirmation',
          name: person.name,
          moveKind: change.moveKind,
          address: change.newAddress,
          moveInDate: change.moveInDate,
          residenceType: change.residenceType,
        },
      });
    }
  }

  if (change.wantsVehicleRecords) {
    for (const update of move.vehicleUpdates) {
      const holder = change.persons.find((p) => p.personId === update.holderPersonId);
      if (!holder) {
        notes.push({ moveId: move.moveId, plate: update.plate, note: 'holder-not-in-move' });
        continue;
      }
      const restoration = move.restorations.find((r) => normalizePlate(r.plate) === normalizePlate(update.plate));
      const revocation =
        moveRevocation ??
        (restoration ? { reason: 'holder-address-restored' as const, cause: restoration.cause } : undefined);
      documents.push({
        ...base,
        documentId: documentIds.vehicleRecord(move.moveId, update.plate),
        kind: 'vehicle-registration-record',
        personId: holder.personId,
        plate: normalizePlate(update.plate),
        target: revocation ? 'revoked' : 'valid',
        cause: update.cause,
        revocation,
        content: {
          kind: 'vehicle-registration-record',
          name: holder.name,
          plate: normalizePlate(update.plate),
          address: update.newHolderAddress,
          moveInDate: change.moveInDate,
          previousRegistrationDistrict: update.previousRegistrationDistrict,
          newRegistrationDistrict: update.newRegistrationDistrict,
        },
      });
    }
  }

  if (change.wantsAppointment) {
    // The sticker appointment is booked for the move; the first booking known completes the order.
    const booking = [...move.bookings].sort((a, b) => a.appointmentId.localeCompare(b.appointmentId))[0];
    documents.push({
      ...base,
      documentId: documentIds.stickerOrder(move.moveId, change.applicantPersonId),
      kind: 'id-card-address-sticker-order',
      personId: change.applicantPersonId,
      plate: '',
      target: moveRevocation ? 'revoked' : booking ? 'valid' : 'pending',
      cause: change.cause,
      completion: booking?.cause,
      revocation: moveRevocation,
    });
  }
  return { documents, notes };
}

/** What must happen to bring the stored documents to the plan. */
export type ReconcileAction =
  | { type: 'create'; planned: PlannedDocument }
  | { type: 'complete'; documentId: string; cause: Cause }
  | { type: 'revoke'; documentId: string; reason: RevocationReason; cause: Cause };

export interface ExistingDocument {
  documentId: string;
  status: DocumentStatus;
}

/**
 * Compares the plan with what is stored. Statuses only move forward, so a
 * stored status at or beyond the target needs nothing (a stale plan computed
 * before a revocation can never un-revoke).
 */
export function reconcileActions(
  plan: readonly PlannedDocument[],
  existing: readonly ExistingDocument[],
): ReconcileAction[] {
  const stored = new Map(existing.map((d) => [d.documentId, d.status]));
  const actions: ReconcileAction[] = [];
  for (const planned of plan) {
    const status = stored.get(planned.documentId);
    if (status === undefined) {
      actions.push({ type: 'create', planned });
      continue;
    }
    if (STATUS_RANK[status] >= STATUS_RANK[planned.target]) continue;
    if (planned.target === 'revoked' && planned.revocation) {
      actions.push({ type: 'revoke', documentId: planned.documentId, ...planned.revocation });
    } else if (planned.target === 'valid' && status === 'pending' && planned.completion) {
      actions.push({ type: 'complete', documentId: planned.documentId, cause: planned.completion });
    }
  }
  return actions;
}
