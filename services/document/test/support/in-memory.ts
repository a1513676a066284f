import type {
  AppLogger,
  DocumentAppDeps,
  DocumentRecord,
  DocumentRenderer,
  DocumentRepository,
  DocumentWithContent,
  MoveRepository,
  NumberSequence,
  RecordOutcome,
} from '../../src/app/ports.js';
import { type Cause, type DocumentEvent, type DocumentState, STATUS_RANK } from '../../src/domain/document.js';
import {
  type AddressChangeFact,
  type BookingFact,
  emptyMove,
  type ExistingDocument,
  type MoveFacts,
  type PrintedContent,
  type RestorationFact,
  type VehicleUpdateFact,
} from '../../src/domain/move.js';
import { KeyRing, SigningKey } from '../../src/domain/signing.js';

/** How many turns of the event loop a store call takes; varied by property tests to shuffle interleavings. */
export type Latency = () => number;

/** Yields to other pending work, as a database round trip would, so concurrent reactions interleave. */
async function yieldTurns(turns: number): Promise<void> {
  for (let i = 0; i < Math.max(1, turns); i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * In-memory stand-ins with the semantics of the MongoDB repositories (each
 * method one atomic single-document operation), for fast unit and property
 * tests of the use cases. The real ones are tested against FerretDB in the
 * integration tests.
 */
export class InMemoryMoves implements MoveRepository {
  readonly moves = new Map<string, MoveFacts>();

  constructor(private readonly latency: Latency = () => 1) {}

  private roundTrip(): Promise<void> {
    return yieldTurns(this.latency());
  }

  async get(moveId: string): Promise<MoveFacts | undefined> {
    await this.roundTrip();
    const move = this.moves.get(moveId);
    return move ? structuredClone(move) : undefined;
  }

  async version(moveId: string): Promise<number | undefined> {
    await this.roundTrip();
    return this.moves.get(moveId)?.version;
  }

  private async add(
    moveId: string,
    isKnown: (m: MoveFacts) => boolean,
    add: (m: MoveFacts) => void,
  ): Promise<RecordOutcome> {
    await this.roundTrip();
    const move = this.moves.get(moveId) ?? emptyMove(moveId);
    if (isKnown(move)) return 'known';
    add(move);
    move.version++;
    this.moves.set(moveId, move);
    return 'recorded';
  }

  recordAddressChange(moveId: string, fact: AddressChangeFact) {
    return this.add(
      moveId,
      (m) => m.addressChange !== undefined,
      (m) => {
        m.addressChange = structuredClone(fact);
      },
    );
  }
  recordRevocation(moveId: string, cause: Cause) {
    return this.add(
      moveId,
      (m) => m.revocation !== undefined,
      (m) => {
        m.revocation = { ...cause };
      },
    );
  }
  recordVehicleUpdate(moveId: string, fact: VehicleUpdateFact) {
    return this.add(
      moveId,
      (m) => m.vehicleUpdates.some((u) => u.plate === fact.plate),
      (m) => {
        m.vehicleUpdates.push(structuredClone(fact));
      },
    );
  }
  recordRestoration(moveId: string, fact: RestorationFact) {
    return this.add(
      moveId,
      (m) => m.restorations.some((r) => r.plate === fact.plate),
      (m) => {
        m.restorations.push(structuredClone(fact));
      },
    );
  }
  recordBooking(moveId: string, fact: BookingFact) {
    return this.add(
      moveId,
      (m) => m.bookings.some((b) => b.appointmentId === fact.appointmentId),
      (m) => {
        m.bookings.push(structuredClone(fact));
      },
    );
  }
}

interface StoredDocument {
  record: DocumentRecord;
  content: Buffer | undefined;
}

export class InMemoryDocuments implements DocumentRepository {
  readonly documents = new Map<string, StoredDocument>();
  /** Every event written to an outbox, in write order. */
  readonly published: DocumentEvent[] = [];
  /** Makes the next write fail before it changes anything (a crash or a lost connection). */
  failNextWrite = false;

  constructor(private readonly latency: Latency = () => 1) {}

  private roundTrip(): Promise<void> {
    return yieldTurns(this.latency());
  }

  async statusesOfMove(moveId: string): Promise<ExistingDocument[]> {
    await this.roundTrip();
    return [...this.documents.values()]
      .filter((d) => d.record.moveId === moveId)
      .map((d) => ({ documentId: d.record.documentId, status: d.record.status }));
  }

  async get(documentId: string): Promise<DocumentWithContent | undefined> {
    await this.roundTrip();
    const found = this.documents.get(documentId);
    return found ? { ...structuredClone(found.record), content: found.content } : undefined;
  }

  async listByPerson(personId: string): Promise<DocumentRecord[]> {
    await this.roundTrip();
    return [...this.documents.values()]
      .filter((d) => d.record.personId === personId)
      .map((d) => structuredClone(d.record));
  }

  async listByMove(moveId: string): Promise<DocumentRecord[]> {
    await this.roundTrip();
    return [...this.documents.values()].filter((d) => d.record.moveId === moveId).map((d) => structuredClone(d.record));
  }

  async findByVerificationCode(code: string): Promise<DocumentRecord[]> {
    await this.roundTrip();
    return [...this.documents.values()]
      .filter((d) => d.record.verificationCode === code)
      .slice(0, 2)
      .map((d) => structuredClone(d.record));
  }

  private checkFailure(): void {
    if (this.failNextWrite) {
      this.failNextWrite = false;
      throw new Error('simulated crash before the write');
    }
  }

  async insert(record: DocumentRecord, content: Buffer | undefined, events: DocumentEvent[]) {
    await this.roundTrip();
    this.checkFailure();
    if (this.documents.has(record.documentId)) return 'duplicate' as const;
    this.documents.set(record.documentId, { record: structuredClone(record), content });
    this.published.push(...events);
    return 'inserted' as const;
  }

  /** Like the store: change number `revision + 1` is taken once; the furthest status recorded is the status read. */
  async transition(next: DocumentState, revision: number, events: DocumentEvent[]) {
    await this.roundTrip();
    this.checkFailure();
    const stored = this.documents.get(next.documentId);
    if (!stored) throw new Error(`transition of an unknown document ${next.documentId}`);
    if (stored.record.revision !== revision) return 'stale' as const;
    const record = stored.record;
    record.revision++;
    if (next.status === 'valid') record.completedAt ??= next.completedAt;
    if (next.status === 'revoked') {
      record.revokedAt ??= next.revokedAt;
      record.revocationReason ??= next.revocationReason;
    }
    if (STATUS_RANK[next.status] > STATUS_RANK[record.status]) record.status = next.status;
    this.published.push(...events);
    return 'applied' as const;
  }
}

export class InMemorySequence implements NumberSequence {
  private readonly counters = new Map<string, number>();
  async next(name: string): Promise<number> {
    await yieldTurns(1);
    const value = (this.counters.get(name) ?? 0) + 1;
    this.counters.set(name, value);
    return value;
  }
}

/** A renderer that writes what it was asked to print as JSON (the real PDF is tested in pdf/). */
export class FakeRenderer implements DocumentRenderer {
  async render(content: PrintedContent, meta: { documentNumber: string; verificationCode: string }): Promise<Buffer> {
    return Buffer.from(JSON.stringify({ content, meta }));
  }
}

export class RecordingLogger implements AppLogger {
  readonly lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  info(fields: Record<string, unknown>, message: string) {
    this.lines.push({ level: 'info', fields, message });
  }
  warn(fields: Record<string, unknown>, message: string) {
    this.lines.push({ level: 'warn', fields, message });
  }
  error(fields: Record<string, unknown>, message: string) {
    this.lines.push({ level: 'error', fields, message });
  }
}

export const TEST_KEY = SigningKey.fromSeed(Buffer.alloc(32, 42));

export interface InMemoryApp extends DocumentAppDeps {
  moves: InMemoryMoves;
  documents: InMemoryDocuments;
  logger: RecordingLogger;
}

export function inMemoryApp(now = new Date('2026-03-02T09:15:00Z'), latency?: Latency): InMemoryApp {
  return {
    moves: new InMemoryMoves(latency),
    documents: new InMemoryDocuments(latency),
    sequence: new InMemorySequence(),
    renderer: new FakeRenderer(),
    keys: new KeyRing(TEST_KEY),
    clock: { now: () => now },
    logger: new RecordingLogger(),
  };
}
