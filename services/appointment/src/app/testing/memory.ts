import type { AppointmentData, HoldRef } from '../../domain/appointment.js';
import { CatalogueIndex, type Catalogue } from '../../domain/catalogue.js';
import type { RandomBytes } from '../../domain/codes.js';
import type { RaisedEvent } from '../../domain/events.js';
import type { InvitationData } from '../../domain/invitation.js';
import type { MoveData } from '../../domain/move.js';
import type { DaySlot } from '../../domain/schedule.js';
import type {
  AppDeps,
  AppLogger,
  AppSettings,
  AppointmentRepository,
  CapacityStore,
  InvitationRepository,
  MoveRepository,
  Versioned,
} from '../ports.js';

/**
 * In-memory stand-ins of the store ports for unit and property tests of the
 * use cases. They keep the semantics the Mongo stores have (one
 * single-document conditional write per call, version checks, keyed holds);
 * the integration tests run the same use cases against the real database.
 * Every call yields to the event loop first, so concurrent use cases
 * interleave like they do over a network.
 */

/** Where a store call lets other work run first: the next turn of the event loop, or a property test's scheduler. */
export type YieldPoint = () => Promise<void>;

export const nextTurn: YieldPoint = () => new Promise<void>((resolve) => setImmediate(resolve));

export class MemoryAggregates<T> {
  constructor(
    private readonly idOf: (data: T) => string,
    protected readonly tick: YieldPoint = nextTurn,
    /** The outbox, shared by the repositories of one world so that it shows events in the order they were written. */
    readonly events: RaisedEvent[] = [],
  ) {}
  readonly docs = new Map<string, { data: T; version: number }>();

  async get(id: string): Promise<Versioned<T> | undefined> {
    await this.tick();
    const doc = this.docs.get(id);
    return doc ? { data: structuredClone(doc.data), version: doc.version } : undefined;
  }

  async insert(data: T, events: readonly RaisedEvent[]): Promise<'inserted' | 'duplicate'> {
    await this.tick();
    const id = this.idOf(data);
    if (this.docs.has(id)) return 'duplicate';
    this.docs.set(id, { data: structuredClone(data), version: 0 });
    this.events.push(...events);
    return 'inserted';
  }

  async update(data: T, expectedVersion: number, events: readonly RaisedEvent[]): Promise<boolean> {
    await this.tick();
    const id = this.idOf(data);
    const doc = this.docs.get(id);
    if (!doc || doc.version !== expectedVersion) return false;
    this.docs.set(id, { data: structuredClone(data), version: expectedVersion + 1 });
    this.events.push(...events);
    return true;
  }
}

export class MemoryAppointments extends MemoryAggregates<AppointmentData> implements AppointmentRepository {
  constructor(tick?: YieldPoint, events?: RaisedEvent[]) {
    super((a) => a.id, tick, events);
  }

  async findUnfinished(before: Date, limit: number): Promise<string[]> {
    await this.tick();
    return [...this.docs.values()]
      .filter(
        ({ data }) =>
          data.updatedAt.getTime() < before.getTime() &&
          (data.state === 'reserving' || data.pending !== null || data.releases.length > 0),
      )
      .slice(0, limit)
      .map(({ data }) => data.id);
  }
}

export class MemoryMoves extends MemoryAggregates<MoveData> implements MoveRepository {
  constructor(tick?: YieldPoint, events?: RaisedEvent[]) {
    super((m) => m.id, tick, events);
  }
}

export class MemoryInvitations extends MemoryAggregates<InvitationData> implements InvitationRepository {
  constructor(tick?: YieldPoint) {
    super((i) => i.code, tick);
  }
}

/** A taken seat: `${dayId}|${slotKey}|${n}` -> the hold that took it. */
export interface MemorySeat {
  dayId: string;
  slotKey: string;
  hold: string;
}

/**
 * Seats like the Mongo store: each seat taken by one insert against a unique
 * key (the seat, and one seat per hold and slot), a yield point between any
 * two of them, partial holds left to `release` after "full".
 */
export class MemoryCapacity implements CapacityStore {
  constructor(private readonly tick: YieldPoint = nextTurn) {}
  readonly seats = new Map<string, MemorySeat>();
  /** Counters of each slot as last seen in a hold, for invariant checks. */
  readonly counters = new Map<string, number>();

  async hold(daySlots: readonly DaySlot[], hold: HoldRef): Promise<'held' | 'full'> {
    for (const s of daySlots) this.counters.set(`${hold.dayId}|${s.key}`, s.counters);
    for (const slotKey of hold.slotKeys) {
      const counters = daySlots.find((s) => s.key === slotKey)?.counters ?? 0;
      await this.tick();
      if (this.holdsSeat(hold.key, slotKey)) continue;
      let taken = false;
      for (let n = 0; n < counters && !taken; n++) {
        await this.tick();
        const id = `${hold.dayId}|${slotKey}|${n}`;
        if (this.holdsSeat(hold.key, slotKey)) taken = true;
        else if (!this.seats.has(id)) {
          this.seats.set(id, { dayId: hold.dayId, slotKey, hold: hold.key });
          taken = true;
        }
      }
      if (!taken) return 'full';
    }
    return 'held';
  }

  async release(hold: HoldRef): Promise<void> {
    await this.tick();
    for (const [id, seat] of this.seats) if (seat.hold === hold.key) this.seats.delete(id);
  }

  async taken(dayIds: readonly string[]): Promise<Map<string, Record<string, number>>> {
    await this.tick();
    const out = new Map<string, Record<string, number>>();
    for (const seat of this.seats.values()) {
      if (!dayIds.includes(seat.dayId)) continue;
      const day = out.get(seat.dayId) ?? {};
      day[seat.slotKey] = (day[seat.slotKey] ?? 0) + 1;
      out.set(seat.dayId, day);
    }
    return out;
  }

  /** Seats taken on one slot. */
  seatsTaken(dayId: string, slotKey: string): number {
    return this.takenBySlot().get(`${dayId}|${slotKey}`) ?? 0;
  }

  /** The holds with seats on a day, with their slot keys. */
  holdsOn(dayId: string): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const seat of this.seats.values()) {
      if (seat.dayId === dayId) out[seat.hold] = [...(out[seat.hold] ?? []), seat.slotKey].sort();
    }
    return out;
  }

  /** Seats taken per `${dayId}|${slotKey}`. */
  takenBySlot(): Map<string, number> {
    const out = new Map<string, number>();
    for (const seat of this.seats.values()) {
      const key = `${seat.dayId}|${seat.slotKey}`;
      out.set(key, (out.get(key) ?? 0) + 1);
    }
    return out;
  }

  /** Holds with the slot keys they have seats on. */
  holds(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const seat of this.seats.values()) out.set(seat.hold, [...(out.get(seat.hold) ?? []), seat.slotKey].sort());
    return out;
  }

  private holdsSeat(hold: string, slotKey: string): boolean {
    for (const seat of this.seats.values()) if (seat.hold === hold && seat.slotKey === slotKey) return true;
    return false;
  }
}

export class ManualClock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(instant: Date): void {
    this.current = new Date(instant);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** Deterministic "random" bytes: a counter, so codes differ but tests are repeatable. */
export function sequenceRandom(): RandomBytes {
  let n = 0;
  return (count) => Uint8Array.from({ length: count }, () => (n++ * 7 + 3) % 256);
}

export const silentLogger: AppLogger = { info: () => undefined, warn: () => undefined };

export const TEST_SETTINGS: AppSettings = {
  window: { horizonDays: 90, minLeadMinutes: 60 },
  interpreterLanguages: ['ar', 'tr', 'uk', 'ru', 'fa'],
  moveServiceId: 'personalausweis-adressaenderung',
  nearLocations: 3,
  offerCount: 3,
  staleAfterMs: 60_000,
};

export interface MemoryWorld {
  deps: AppDeps;
  clock: ManualClock;
  appointments: MemoryAppointments;
  moves: MemoryMoves;
  invitations: MemoryInvitations;
  capacity: MemoryCapacity;
  events(): RaisedEvent[];
}

export function memoryWorld(
  catalogue: Catalogue,
  now: Date,
  settings: Partial<AppSettings> = {},
  yieldPoint: YieldPoint = nextTurn,
): MemoryWorld {
  const clock = new ManualClock(now);
  const outbox: RaisedEvent[] = [];
  const appointments = new MemoryAppointments(yieldPoint, outbox);
  const moves = new MemoryMoves(yieldPoint, outbox);
  const invitations = new MemoryInvitations(yieldPoint);
  const capacity = new MemoryCapacity(yieldPoint);
  const index = new CatalogueIndex(catalogue);
  return {
    deps: {
      appointments,
      moves,
      invitations,
      capacity,
      catalogue: { current: async () => index },
      clock,
      random: sequenceRandom(),
      settings: { ...TEST_SETTINGS, ...settings },
      logger: silentLogger,
    },
    clock,
    appointments,
    moves,
    invitations,
    capacity,
    events: () => [...outbox],
  };
}
