import type { VehicleDomainEvent } from '../domain/events.js';
import type { Jurisdiction } from '../domain/jurisdiction.js';
import type { RejectionReason } from '../domain/rejection.js';
import type { Vehicle } from '../domain/vehicle.js';

/**
 * What the use cases need from the outside world. The store implements these
 * with MongoDB (single-document writes, the outbox embedded in the written
 * document); the unit tests with the in-memory fakes of src/testing.
 */

/** The metadata every event a use case raises carries besides its payload. */
export interface EventContext {
  /** Person id: the record key and `ce_subject`. */
  readonly key: string;
  /** The citizen's bundle; kept from the event or request that caused the reaction. */
  readonly correlationId: string;
  /** Id of the event (or request) that caused the reaction. */
  readonly causationId: string;
}

export interface StoredVehicle {
  readonly vehicle: Vehicle;
  /** Optimistic concurrency: a save succeeds only if the stored version is still this one. */
  readonly version: number;
}

/** Identifies a RegisterVehicle request, so a repetition returns the same vehicle. */
export interface RegistrationRequest {
  readonly idempotencyKey: string;
  /** Hash of the request's content: the same key with other content is refused. */
  readonly fingerprint: string;
}

/**
 * - saved: the new state and its events were written in one document write.
 * - conflict: the vehicle changed since it was read (version); read again and decide again.
 * - duplicate: the causing event was already applied to this vehicle; nothing was written.
 */
export type SaveOutcome = 'saved' | 'conflict' | 'duplicate';

export type InsertOutcome = 'inserted' | 'plate-taken' | 'vin-taken';

export interface VehicleRepository {
  findByPlate(plate: string): Promise<StoredVehicle | undefined>;
  findByVin(vin: string): Promise<StoredVehicle | undefined>;
  findByRegistrationRequest(idempotencyKey: string): Promise<(StoredVehicle & { fingerprint: string }) | undefined>;
  listByHolder(personId: string): Promise<StoredVehicle[]>;
  /** Vehicles a move changed whose change is still in force (candidates for compensation). */
  listWithMoveInForce(moveId: string): Promise<StoredVehicle[]>;
  insert(
    vehicle: Vehicle,
    request: RegistrationRequest,
    events: readonly VehicleDomainEvent[],
    context: EventContext,
  ): Promise<InsertOutcome>;
  /**
   * Writes the vehicle's holder address, district and moves and appends its
   * events to the outbox in ONE document write, only if the stored version is
   * `expectedVersion` and, when `handledEventId` is given, that event was not
   * applied to it before (the id is recorded in the same write). The status
   * is not written here: see recordDeregistration.
   */
  save(
    vehicle: Vehicle,
    expectedVersion: number,
    events: readonly VehicleDomainEvent[],
    context: EventContext,
    handledEventId?: string,
  ): Promise<SaveOutcome>;
  /**
   * Records a deregistration with its events as ONE insert keyed by the plate
   * (its own document, so the gRPC command never writes the document the event
   * reactions write). "duplicate": the vehicle was deregistered before.
   */
  recordDeregistration(
    vehicle: Vehicle,
    events: readonly VehicleDomainEvent[],
    context: EventContext,
  ): Promise<'saved' | 'duplicate'>;
}

/** The revocation of a move as recorded here (the tombstone). */
export interface Revocation {
  readonly eventId: string;
  readonly correlationId: string;
  readonly applicantId: string;
  readonly revokedAt: Date;
}

/**
 * What the register did about one move besides changing vehicles: the plates
 * it rejected (no vehicle document carries those) and whether the move was
 * revoked.
 */
export interface MoveRecord {
  readonly moveId: string;
  readonly applicantId: string;
  readonly rejectedPlates: readonly string[];
  readonly revocation?: Revocation | undefined;
}

export interface PlateRejection {
  readonly plate: string;
  readonly reason: RejectionReason;
}

export interface MoveRepository {
  /** The move's record; created empty if there is none yet. */
  open(moveId: string, applicantId: string): Promise<MoveRecord>;
  get(moveId: string): Promise<MoveRecord | undefined>;
  /**
   * Records rejected plates and appends their events to the move's outbox in
   * ONE document write, unless `handledEventId` was recorded before or one of
   * the plates was already rejected for this move ("duplicate").
   */
  recordRejections(
    moveId: string,
    rejections: readonly PlateRejection[],
    events: readonly VehicleDomainEvent[],
    context: EventContext,
    handledEventId: string,
  ): Promise<'saved' | 'duplicate'>;
  /** Marks the move revoked (creating its record if needed); the first revocation is kept. Returns the record after. */
  recordRevocation(moveId: string, revocation: Revocation): Promise<MoveRecord>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Everything the use cases depend on; built once in server.ts. */
export interface VehicleAppDeps {
  readonly vehicles: VehicleRepository;
  readonly moves: MoveRepository;
  readonly clock: Clock;
  readonly jurisdiction: Jurisdiction;
  /** Serialises the read-decide-write cycles of one vehicle (by plate) within this process. */
  readonly vehicleLocks: PerKeyLock;
}

/**
 * Runs tasks one after the other per key, tasks of different keys side by
 * side (event-bus's KeyedLock). The use cases take it per plate around every
 * read-decide-write of a vehicle, so a gRPC command and an event reaction in
 * the same process never write one vehicle document at once: FerretDB 1.x
 * applies concurrent updates of one document non-atomically (see the
 * event-bus README), which the version condition alone cannot fix there.
 * Across replicas the version condition (exact on MongoDB) and one consumer
 * replica on FerretDB remain the guard.
 */
export interface PerKeyLock {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}
