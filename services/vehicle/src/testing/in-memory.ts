import { KeyedLock } from '@buergerservice/event-bus';
import type {
  Clock,
  EventContext,
  InsertOutcome,
  MoveRecord,
  MoveRepository,
  PlateRejection,
  RegistrationRequest,
  Revocation,
  SaveOutcome,
  StoredVehicle,
  VehicleAppDeps,
  VehicleRepository,
} from '../app/ports.js';
import type { VehicleDomainEvent } from '../domain/events.js';
import { LEIPZIG_JURISDICTION } from '../domain/jurisdiction.js';
import { Vehicle, type VehicleState } from '../domain/vehicle.js';

/**
 * Fakes of the repositories for the use-case unit tests. They keep the
 * store's contract (conditional single-document writes: version check,
 * handled event ids, outbox appended in the same write), so the use cases'
 * idempotency and ordering rules can be tested without a database. The real
 * store is tested against FerretDB in test/integration.
 */

export interface OutboxRecord {
  readonly event: VehicleDomainEvent;
  readonly context: EventContext;
}

interface VehicleDoc {
  state: VehicleState;
  version: number;
  processedEventIds: string[];
  request?: RegistrationRequest;
}

interface Deregistration {
  deregisteredAt: Date;
  reason: string;
}

/** The vehicle document holds no status: as in the store, a deregistration is a document of its own. */
function withoutStatus(state: VehicleState): VehicleState {
  const { deregisteredAt: _at, deregistrationReason: _reason, ...rest } = state;
  return { ...rest, status: 'registered' };
}

export class InMemoryVehicles implements VehicleRepository {
  readonly docs = new Map<string, VehicleDoc>();
  readonly deregistrations = new Map<string, Deregistration>();
  readonly outbox: OutboxRecord[] = [];
  /** Called before every save: lets a test interleave another writer. */
  beforeSave: (() => Promise<void>) | undefined;

  private merged(doc: VehicleDoc): VehicleState {
    const deregistration = this.deregistrations.get(doc.state.plate);
    return deregistration
      ? {
          ...doc.state,
          status: 'deregistered',
          updatedAt: new Date(Math.max(deregistration.deregisteredAt.getTime(), doc.state.updatedAt.getTime())),
          deregisteredAt: deregistration.deregisteredAt,
          deregistrationReason: deregistration.reason,
        }
      : doc.state;
  }

  private loaded(doc: VehicleDoc | undefined): StoredVehicle | undefined {
    return doc ? { vehicle: Vehicle.fromState(this.merged(doc)), version: doc.version } : undefined;
  }

  async findByPlate(plate: string) {
    return this.loaded(this.docs.get(plate));
  }

  async findByVin(vin: string) {
    return this.loaded([...this.docs.values()].find((d) => d.state.vin === vin));
  }

  async findByRegistrationRequest(idempotencyKey: string) {
    const doc = [...this.docs.values()].find((d) => d.request?.idempotencyKey === idempotencyKey);
    const stored = this.loaded(doc);
    return stored && doc?.request ? { ...stored, fingerprint: doc.request.fingerprint } : undefined;
  }

  async listByHolder(personId: string) {
    return [...this.docs.values()]
      .filter((d) => d.state.holderPersonId === personId)
      .map((d) => this.loaded(d) as StoredVehicle);
  }

  async listWithMoveInForce(moveId: string) {
    return [...this.docs.values()]
      .filter((d) => d.state.moves.some((m) => m.moveId === moveId && m.revokedAt === undefined))
      .map((d) => this.loaded(d) as StoredVehicle);
  }

  async insert(
    vehicle: Vehicle,
    request: RegistrationRequest,
    events: readonly VehicleDomainEvent[],
    context: EventContext,
  ): Promise<InsertOutcome> {
    if (this.docs.has(vehicle.plate)) return 'plate-taken';
    if ([...this.docs.values()].some((d) => d.state.vin === vehicle.state.vin)) return 'vin-taken';
    this.docs.set(vehicle.plate, { state: withoutStatus(vehicle.state), version: 0, processedEventIds: [], request });
    this.outbox.push(...events.map((event) => ({ event, context })));
    return 'inserted';
  }

  /** Puts a vehicle in as the seed does: no request, no event. */
  seed(vehicle: Vehicle): void {
    const { state } = vehicle;
    this.docs.set(vehicle.plate, { state: withoutStatus(state), version: 0, processedEventIds: [] });
    if (state.status === 'deregistered') {
      this.deregistrations.set(state.plate, {
        deregisteredAt: state.deregisteredAt ?? state.updatedAt,
        reason: state.deregistrationReason ?? '',
      });
    }
  }

  async save(
    vehicle: Vehicle,
    expectedVersion: number,
    events: readonly VehicleDomainEvent[],
    context: EventContext,
    handledEventId?: string,
  ): Promise<SaveOutcome> {
    await this.beforeSave?.();
    const doc = this.docs.get(vehicle.plate);
    if (!doc || doc.version !== expectedVersion) return 'conflict';
    if (handledEventId !== undefined && doc.processedEventIds.includes(handledEventId)) return 'duplicate';
    doc.state = withoutStatus(vehicle.state);
    doc.version += 1;
    if (handledEventId !== undefined) doc.processedEventIds.push(handledEventId);
    this.outbox.push(...events.map((event) => ({ event, context })));
    return 'saved';
  }

  async recordDeregistration(
    vehicle: Vehicle,
    events: readonly VehicleDomainEvent[],
    context: EventContext,
  ): Promise<'saved' | 'duplicate'> {
    await this.beforeSave?.();
    if (this.deregistrations.has(vehicle.plate)) return 'duplicate';
    const { deregisteredAt, deregistrationReason, updatedAt } = vehicle.state;
    this.deregistrations.set(vehicle.plate, {
      deregisteredAt: deregisteredAt ?? updatedAt,
      reason: deregistrationReason ?? '',
    });
    this.outbox.push(...events.map((event) => ({ event, context })));
    return 'saved';
  }

  /** The vehicle as the register shows it. */
  state(plate: string): VehicleState {
    const doc = this.docs.get(plate);
    if (!doc) throw new Error(`no vehicle ${plate}`);
    return this.merged(doc);
  }
}

interface MoveDoc {
  record: MoveRecord;
  processedEventIds: string[];
}

export class InMemoryMoves implements MoveRepository {
  readonly docs = new Map<string, MoveDoc>();
  readonly outbox: OutboxRecord[] = [];

  async open(moveId: string, applicantId: string): Promise<MoveRecord> {
    const doc = this.docs.get(moveId) ?? { record: { moveId, applicantId, rejectedPlates: [] }, processedEventIds: [] };
    this.docs.set(moveId, doc);
    return doc.record;
  }

  async get(moveId: string) {
    return this.docs.get(moveId)?.record;
  }

  async recordRejections(
    moveId: string,
    rejections: readonly PlateRejection[],
    events: readonly VehicleDomainEvent[],
    context: EventContext,
    handledEventId: string,
  ): Promise<'saved' | 'duplicate'> {
    const doc = this.docs.get(moveId);
    if (!doc) throw new Error(`move ${moveId} was not opened`);
    if (doc.processedEventIds.includes(handledEventId)) return 'duplicate';
    if (rejections.some((r) => doc.record.rejectedPlates.includes(r.plate))) return 'duplicate';
    doc.record = { ...doc.record, rejectedPlates: [...doc.record.rejectedPlates, ...rejections.map((r) => r.plate)] };
    doc.processedEventIds.push(handledEventId);
    this.outbox.push(...events.map((event) => ({ event, context })));
    return 'saved';
  }

  async recordRevocation(moveId: string, revocation: Revocation): Promise<MoveRecord> {
    const doc = this.docs.get(moveId) ?? {
      record: { moveId, applicantId: revocation.applicantId, rejectedPlates: [] },
      processedEventIds: [],
    };
    if (!doc.record.revocation) doc.record = { ...doc.record, revocation };
    this.docs.set(moveId, doc);
    return doc.record;
  }
}

export class FixedClock implements Clock {
  constructor(public current = new Date('2026-03-02T12:00:00Z')) {}
  now(): Date {
    return this.current;
  }
}

export function inMemoryApp(): VehicleAppDeps & {
  vehicles: InMemoryVehicles;
  moves: InMemoryMoves;
  clock: FixedClock;
} {
  return {
    vehicles: new InMemoryVehicles(),
    moves: new InMemoryMoves(),
    clock: new FixedClock(),
    jurisdiction: LEIPZIG_JURISDICTION,
    vehicleLocks: new KeyedLock(),
  };
}

/** Every event raised so far, vehicles' and moves' outboxes together. */
export function allEvents(deps: { vehicles: InMemoryVehicles; moves: InMemoryMoves }): OutboxRecord[] {
  return [...deps.vehicles.outbox, ...deps.moves.outbox];
}
