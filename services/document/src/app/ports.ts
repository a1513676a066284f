import type { DocumentEvent, DocumentState, DocumentStatus } from '../domain/document.js';
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
 * The documents, each written with its events in one single-document write
 * (the outbox), so an event is published if and only if its change was stored.
 */
export interface DocumentRepository {
  statusesOfMove(moveId: string): Promise<ExistingDocument[]>;
  get(documentId: string): Promise<DocumentWithContent | undefined>;
  listByPerson(personId: string): Promise<DocumentRecord[]>;
  listByMove(moveId: string): Promise<DocumentRecord[]>;
  /** `code` in canonical form (see normalizeVerificationCode). */
  findByVerificationCode(code: string): Promise<DocumentRecord | undefined>;
  /** Inserts unless a document with that id exists ("duplicate"). */
  insert(
    record: DocumentRecord,
    content: Buffer | undefined,
    events: DocumentEvent[],
  ): Promise<'inserted' | 'duplicate'>;
  /** Writes the next state if the stored status is still `expected` ("stale" otherwise). */
  update(next: DocumentState, expected: DocumentStatus, events: DocumentEvent[]): Promise<'applied' | 'stale'>;
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
