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
import type { TrackedBundle } from '../domain/tracker/bundle.js';

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

/** A bundle as the gateway stores it (see domain/tracker/bundle.ts). */
export type StoredBundle = TrackedBundle;

export type ModifyOutcome = 'applied' | 'duplicate' | 'ignored';

export interface ModifyResult {
  readonly outcome: ModifyOutcome;
  readonly before?: StoredBundle;
  readonly after?: StoredBundle;
}

export interface BundleRepository {
  /**
   * Changes one bundle atomically: `change` gets the current bundle (undefined
   * when there is none) and returns the new one, or undefined to change nothing.
   * With `eventId`, a bundle that saw that event already is left alone
   * ("duplicate") and the id is recorded in the same write as the change.
   * Concurrent changes are retried (optimistic concurrency on a version).
   */
  modify(
    bundleId: string,
    change: (current: StoredBundle | undefined) => StoredBundle | undefined,
    eventId?: string,
  ): Promise<ModifyResult>;
  get(bundleId: string): Promise<StoredBundle | undefined>;
  findByMoveId(moveId: string): Promise<StoredBundle | undefined>;
  listByOwner(personId: string, limit: number): Promise<StoredBundle[]>;
  /** Removes a placeholder that never saw an event (its submission was refused); false when it did. */
  removePlaceholder(bundleId: string): Promise<boolean>;
}

/** Told about every change of a bundle's view (the live stream, metrics). */
export interface BundleListener {
  bundleChanged(before: StoredBundle | undefined, after: StoredBundle): void;
}
