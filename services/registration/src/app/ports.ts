import type { OutboxEntry } from '@buergerservice/event-bus';
import type { DirectoryStreet } from '../domain/address.js';
import type { AuditEntry } from '../domain/audit.js';
import type { Clock } from '../domain/clock.js';
import type { Move } from '../domain/move.js';
import type { Person } from '../domain/person.js';

/**
 * What the use cases need from the outside world. The store implements the
 * repositories on MongoDB, the events module the event factory; unit tests
 * use the in-memory versions in test/fixtures.
 */

export interface PersonRepository {
  find(personId: string): Promise<Person | undefined>;
  findMany(personIds: readonly string[]): Promise<Person[]>;
}

/**
 * A person's numbered turn to have a move recorded. Slots are only ever
 * inserted (unique by person and number): the database's unique index is
 * what keeps two concurrent moves of one person from both being recorded. A
 * conditional update would not do: FerretDB 1.24 does not apply updates
 * atomically under concurrency. Nothing is deleted, so a person's slots are
 * numbered 1…n without gaps.
 */
export interface MoveSlot {
  readonly personId: string;
  readonly seq: number;
  readonly moveId: string;
  readonly takenAt: Date;
}

export interface MoveSlots {
  /**
   * The person's slots in order. They double as the index of a person's
   * moves: every recorded move holds a slot of each of its persons.
   */
  of(personId: string): Promise<MoveSlot[]>;
  /** Inserts the slot; false when that number of that person is taken already. */
  take(slot: MoveSlot): Promise<boolean>;
  /** Gives back slots this move took (an attempt that failed after taking them): records their release. */
  giveBack(slots: readonly MoveSlot[]): Promise<void>;
  /** Whether the slot was given back. */
  isReleased(slot: MoveSlot): Promise<boolean>;
}

export interface StreetDirectory {
  /** Directory sections whose normalised name is `normalizedName` (see normalizeStreetName). */
  sectionsNamed(normalizedName: string): Promise<DirectoryStreet[]>;
}

/** A page of a person's moves, newest first. */
export interface MovePage {
  readonly moves: Move[];
  /** Cursor of the next page; undefined on the last page. */
  readonly next?: MoveCursor | undefined;
}

export interface MoveCursor {
  readonly recordedAt: Date;
  readonly moveId: string;
}

export interface MoveRepository {
  findById(moveId: string): Promise<Move | undefined>;
  /** The moves with these ids that exist (any status). */
  findMany(moveIds: readonly string[]): Promise<Move[]>;
  /** Inserts the move and its pending events in one document write; "duplicate" if the id exists. */
  insert(move: Move, events: readonly OutboxEntry[]): Promise<'inserted' | 'duplicate'>;
  /**
   * Stores the revocation of a move with its events in one write (a
   * revocation record next to the move, never an update of it); false when
   * the move was revoked already.
   */
  markRevoked(move: Move, events: readonly OutboxEntry[]): Promise<boolean>;
}

export interface AuditCursor {
  readonly time: Date;
  readonly entryId: string;
}

export type AuditFilter = { readonly personId: string } | { readonly recipient: string };

export interface AuditQuery {
  readonly filter: AuditFilter;
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
  readonly size: number;
  readonly after?: AuditCursor | undefined;
}

/** The append-only BMG §40 log: no method changes or deletes a single entry. */
export interface AuditLog {
  append(entries: readonly AuditEntry[]): Promise<void>;
  /** Appends entries whose ids are deterministic; entries already present are left as they are. */
  appendOnce(entries: readonly AuditEntry[]): Promise<void>;
  list(query: AuditQuery): Promise<{ entries: AuditEntry[]; next?: AuditCursor | undefined }>;
  /** Deletes every entry written before `cutoff` (retention over); returns how many. */
  purgeBefore(cutoff: Date): Promise<number>;
}

/** Builds the outbox entries of the events a use case causes. */
export interface MoveEvents {
  recorded(move: Move, persons: readonly Person[]): OutboxEntry[];
  revoked(move: Move): OutboxEntry[];
}

export interface RegistrationDeps {
  readonly persons: PersonRepository;
  readonly slots: MoveSlots;
  readonly streets: StreetDirectory;
  readonly moves: MoveRepository;
  readonly audit: AuditLog;
  readonly events: MoveEvents;
  readonly clock: Clock;
  /** Called after events were written to the outbox, to publish them without waiting for the next poll. */
  readonly eventsWritten?: (() => void) | undefined;
  /** Warnings about work left to self-healing (e.g. a slot not given back). */
  readonly warn?: ((context: Record<string, unknown>, message: string) => void) | undefined;
}
