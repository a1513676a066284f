import type { DocumentEvent, DocumentState } from '../domain/document.js';
import type {
  AddressChangeFact,
  BookingFact,
  ExistingDocument,
  MoveFacts,
  PrintedContent,
  RestorationFact,
  VehicleUpdateFact,
} from '../domain/move.js';
import type { Cause } from '../domain/document.js';
import type { KeyRing, SignedFields } from '../domain/signing.js';
import type { RandomBytes } from '../domain/verification-code.js';

/** "recorded": the fact is new; "known": it was recorded before (a redelivery). */
export type RecordOutcome = 'recorded' | 'known';

/** The facts gathered per move (the store's `moves` collection). Each fact is added at most once. */
export interface MoveRepository {
  get(moveId: string): Promise<MoveFacts | undefined>;
  /** The move's version only (cheap re-check after reconciling). */
  version(moveId: string): Promise<number | undefined>;
  recordAddressChange(moveId: string, fact: AddressChangeFact): Promise<RecordOutcome>;
  recordRevocation(moveId: string, cause: Cause): Promise<RecordOutcome>;
  recordVehicleUpdate(moveId: string, fact: VehicleUpdateFact): Promise<RecordOutcome>;
  recordRestoration(moveId: string, fact: RestorationFact): Promise<RecordOutcome>;
  recordBooking(moveId: string, fact: BookingFact): Promise<RecordOutcome>;
}

/** A stored document without its content. */
export interface DocumentRecord extends DocumentState {
  /** How many status changes were recorded after the issue; the next one must name it (see `transition`). */
  revision: number;
  /** "application/pdf" for printed documents, "" for orders. */
  contentType: string;
  /** Printed documents only. */
  signedFields?: SignedFields | undefined;
  /** Base64 Ed25519 signature over the canonical form of signedFields; "" for orders. */
  signature: string;
  keyId: string;
}

export interface DocumentWithContent extends DocumentRecord {
  content?: Buffer | undefined;
}

/**
 * The documents, each change written with its events in one single-document
 * write (the outbox), so an event is published if and only if its change was
 * stored. A document's status only moves forward; each later status is
 * recorded at most once.
 */
export interface DocumentRepository {
  statusesOfMove(moveId: string): Promise<ExistingDocument[]>;
  get(documentId: string): Promise<DocumentWithContent | undefined>;
  listByPerson(personId: string): Promise<DocumentRecord[]>;
  listByMove(moveId: string): Promise<DocumentRecord[]>;
  /** `code` in canonical form (see normalizeVerificationCode); at most two matches (more than one is an anomaly). */
  findByVerificationCode(code: string): Promise<DocumentRecord[]>;
  /** Inserts unless a document with that id exists ("duplicate"). */
  insert(
    record: DocumentRecord,
    content: Buffer | undefined,
    events: DocumentEvent[],
  ): Promise<'inserted' | 'duplicate'>;
  /**
   * Records the document's next state (a completed order, a revocation) with
   * its events as change number `revision + 1`, where `revision` is the one
   * read with the state it was computed from. "stale" when another change
   * took that number first: re-read and decide again. The changes of one
   * document thus form one ordered log, without updating any stored document.
   */
  transition(next: DocumentState, revision: number, events: DocumentEvent[]): Promise<'applied' | 'stale'>;
}

/** Draws document numbers: strictly increasing per sequence name. */
export interface NumberSequence {
  next(name: string): Promise<number>;
}

export interface DocumentRenderer {
  render(
    content: PrintedContent,
    meta: { documentNumber: string; verificationCode: string; issuedAt: Date },
  ): Promise<Buffer>;
}

export interface Clock {
  now(): Date;
}

/** The part of a structured logger the use cases need (pino fits). Log ids, never names or addresses. */
export interface AppLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface DocumentAppDeps {
  moves: MoveRepository;
  documents: DocumentRepository;
  sequence: NumberSequence;
  renderer: DocumentRenderer;
  keys: KeyRing;
  clock: Clock;
  logger: AppLogger;
  /** Defaults to node:crypto's randomBytes. */
  random?: RandomBytes;
  /** Called after documents and their events were written (wakes the outbox relay). */
  onEventsWritten?: () => void;
}
