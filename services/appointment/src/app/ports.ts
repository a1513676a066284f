import type { AppointmentData, HoldRef } from '../domain/appointment.js';
import type { CatalogueIndex } from '../domain/catalogue.js';
import type { RandomBytes } from '../domain/codes.js';
import type { RaisedEvent } from '../domain/events.js';
import type { InvitationData } from '../domain/invitation.js';
import type { MoveData } from '../domain/move.js';
import type { DaySlot } from '../domain/schedule.js';
import type { BookingWindow } from '../domain/slots.js';

/**
 * What the use cases need from the outside world. Every write is one
 * single-document insert or delete — the operations that are atomic on every
 * MongoDB-compatible server, FerretDB 1.24 included (whose updates are not;
 * see store/README section in the service README). Aggregates are saved with
 * optimistic concurrency: a new state claims the next version, and the
 * events a transition raises are written in the same document (the outbox).
 */

export interface Clock {
  now(): Date;
}

export interface Versioned<T> {
  data: T;
  version: number;
}

/** Stores an aggregate and the events of its transitions in one document write. */
export interface AggregateRepository<T> {
  get(id: string): Promise<Versioned<T> | undefined>;
  /** "duplicate" when a document with the id exists already (nothing is written). */
  insert(data: T, events: readonly RaisedEvent[]): Promise<'inserted' | 'duplicate'>;
  /** False when the document changed since `expectedVersion` was read (nothing is written). */
  update(data: T, expectedVersion: number, events: readonly RaisedEvent[]): Promise<boolean>;
}

export interface AppointmentRepository extends AggregateRepository<AppointmentData> {
  /** Ids of appointments a crash or a stalled call left half-way (reserving, rescheduling, releases due), untouched since `before`. */
  findUnfinished(before: Date, limit: number): Promise<string[]>;
}

export type MoveRepository = AggregateRepository<MoveData>;

/** Invitations are aggregates keyed by their code: marking one used is a versioned write, so two bookings cannot both use it. */
export type InvitationRepository = AggregateRepository<InvitationData>;

/**
 * Capacity as seats: a slot with n counters has seats 0..n-1, and a hold
 * takes one seat on each slot it needs. Taking a seat is an insert against a
 * unique key, so a seat is never given twice and a slot never holds more
 * than its counters; the keys also make holding and releasing idempotent.
 */
export interface CapacityStore {
  /**
   * Takes a seat on every slot of the hold ("held", also when it was held
   * before), or "full" when a slot has no seat left. After "full", seats
   * taken on the other slots stay with the hold until `release(hold)`:
   * the caller records the failed attempt and releases it (saga).
   */
  hold(daySlots: readonly DaySlot[], hold: HoldRef): Promise<'held' | 'full'>;
  /** Gives every seat of the hold back; a no-op when it holds none. */
  release(hold: HoldRef): Promise<void>;
  /** Seats taken per slot key of the given days (days without seats taken are absent). */
  taken(dayIds: readonly string[]): Promise<Map<string, Record<string, number>>>;
}

export interface CatalogueSource {
  current(): Promise<CatalogueIndex>;
}

/** The little logging the use cases do (ids only, never personal data). */
export interface AppLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface AppSettings {
  window: BookingWindow;
  /** ISO 639-1 codes of the languages video interpreting is offered in. */
  interpreterLanguages: readonly string[];
  /** The service booked for the ID-card address sticker after a move. */
  moveServiceId: string;
  /** How many locations nearest to the new address count as "near". */
  nearLocations: number;
  /** How many slots an AppointmentOffered carries. */
  offerCount: number;
  /** After how long an unfinished reservation or reschedule is given up. */
  staleAfterMs: number;
}

export interface AppDeps {
  appointments: AppointmentRepository;
  moves: MoveRepository;
  invitations: InvitationRepository;
  capacity: CapacityStore;
  catalogue: CatalogueSource;
  clock: Clock;
  random: RandomBytes;
  settings: AppSettings;
  logger: AppLogger;
}
