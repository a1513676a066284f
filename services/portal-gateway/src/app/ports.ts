import type {
  Appointment,
  DocumentContent,
  IssuedDocument,
  Location,
  MoveCommand,
  OfferedService,
  RecordedMove,
  Slot,
  Verification,
  VehicleSummary,
} from '../domain/authorities.js';
import type { SubmissionRecord, TrackedBundle } from '../domain/tracker/bundle.js';
import type { TrackerEvent } from '../domain/tracker/events.js';

/**
 * What the use cases need from the outside world. Implemented by
 * src/authorities/ (gRPC clients) and src/store/ (the gateway's database).
 */

export interface Clock {
  now(): Date;
}

/** Settings every call to an authority takes: the citizen's request may be cancelled. */
export interface CallOptions {
  readonly signal?: AbortSignal;
}

export interface RegistrationAuthority {
  submitChangeOfAddress(command: MoveCommand, options?: CallOptions): Promise<RecordedMove>;
  revokeChangeOfAddress(
    command: { moveId: string; personId: string; reason: string },
    options?: CallOptions,
  ): Promise<RecordedMove>;
}

export interface VehicleAuthority {
  listVehiclesByHolder(personId: string, options?: CallOptions): Promise<VehicleSummary[]>;
}

export interface AppointmentAuthority {
  listLocations(serviceId: string, options?: CallOptions): Promise<Location[]>;
  listServices(options?: CallOptions): Promise<OfferedService[]>;
  listFreeSlots(
    query: { serviceId: string; locationId: string; district: string; fromDate: string; toDate: string; limit: number },
    options?: CallOptions,
  ): Promise<Slot[]>;
  book(
    command: {
      idempotencyKey: string;
      personId: string;
      serviceId: string;
      locationId: string;
      start: Date;
      interpreterLanguage: string;
      invitationCode: string;
      moveId: string;
    },
    options?: CallOptions,
  ): Promise<Appointment>;
  cancel(
    command: { appointmentId: string; personId: string; reason: string },
    options?: CallOptions,
  ): Promise<Appointment>;
  reschedule(
    command: { appointmentId: string; personId: string; newStart: Date; newLocationId: string },
    options?: CallOptions,
  ): Promise<Appointment>;
  get(appointmentId: string, options?: CallOptions): Promise<Appointment>;
  calendar(appointmentId: string, options?: CallOptions): Promise<string>;
}

export interface DocumentAuthority {
  list(filter: { personId: string } | { moveId: string }, options?: CallOptions): Promise<IssuedDocument[]>;
  get(documentId: string, options?: CallOptions): Promise<DocumentContent>;
  verify(code: string, options?: CallOptions): Promise<Verification>;
}

/** A bundle as the gateway shows it (see domain/tracker/bundle.ts). */
export type StoredBundle = TrackedBundle;

export type RecordOutcome = 'recorded' | 'duplicate';

/**
 * The request tracker's store. Written only by inserts of whole documents
 * (a submission record per bundle, a record per event), which are atomic
 * on every MongoDB-wire database including FerretDB; the bundle is composed
 * when read (domain/tracker/bundle.ts `composeBundle`).
 */
export interface BundleRepository {
  /** Records a submission; false when the bundle already has one. */
  saveSubmission(record: SubmissionRecord): Promise<boolean>;
  /** Adds the registration office's answer to the bundle's submission record. */
  recordMove(bundleId: string, moveId: string, revocableUntil?: Date): Promise<void>;
  /** Removes the submission record of a refused submission. */
  removeSubmission(bundleId: string): Promise<boolean>;
  /** Records an event of a bundle once ("duplicate" when its id was recorded before). */
  recordEvent(bundleId: string, event: TrackerEvent): Promise<RecordOutcome>;
  get(bundleId: string): Promise<StoredBundle | undefined>;
  /** The bundle a move belongs to (by submission record or any recorded event). */
  findByMoveId(moveId: string): Promise<StoredBundle | undefined>;
  /** The citizen's bundles, newest first. */
  listByOwner(personId: string, limit: number): Promise<StoredBundle[]>;
}

/** Told about every change of a bundle's view (the live stream, metrics). */
export interface BundleListener {
  bundleChanged(before: StoredBundle | undefined, after: StoredBundle): void;
}
