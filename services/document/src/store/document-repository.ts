import { isDuplicateKeyError, type OutboxEntry } from '@buergerservice/event-bus';
import type { Model } from 'mongoose';
import type { DocumentRecord, DocumentRepository, DocumentWithContent } from '../app/ports.js';
import { type DocumentEvent, type DocumentState, STATUS_RANK } from '../domain/document.js';
import type { ExistingDocument } from '../domain/move.js';
import type { StoredDocument, TransitionDocument } from './models.js';

/** Maps a domain event to its outbox entry (the event codec, which knows the contracts). */
export type OutboxEncoder = (event: DocumentEvent) => OutboxEntry;

const WITHOUT_OUTBOX = { outbox: 0 } as const;
const METADATA_ONLY = { outbox: 0, content: 0 } as const;

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  // Lean reads may hand back the driver's BSON Binary.
  const binary = value as { buffer?: unknown };
  if (binary.buffer instanceof Uint8Array) return Buffer.from(binary.buffer);
  throw new TypeError('stored content is not binary');
}

/** The issued document with its later transitions applied: the furthest status wins. */
function toRecord(doc: StoredDocument, transitions: readonly TransitionDocument[]): DocumentWithContent {
  const record: DocumentWithContent = {
    documentId: doc._id,
    revision: transitions.length,
    kind: doc.kind,
    status: doc.status,
    personId: doc.personId,
    applicantPersonId: doc.applicantPersonId,
    moveId: doc.moveId,
    plate: doc.plate ?? '',
    documentNumber: doc.documentNumber,
    verificationCode: doc.verificationCode ?? '',
    issuedAt: doc.issuedAt,
    completedAt: doc.completedAt ?? undefined,
    revokedAt: doc.revokedAt ?? undefined,
    revocationReason: doc.revocationReason ?? undefined,
    contentType: doc.contentType ?? '',
    signedFields: doc.signedFields ?? undefined,
    signature: doc.signature ?? '',
    keyId: doc.keyId ?? '',
  };
  if (doc.content) record.content = toBuffer(doc.content);
  for (const t of transitions) {
    if (t.status === 'valid') record.completedAt ??= t.at;
    if (t.status === 'revoked') {
      record.revokedAt ??= t.at;
      record.revocationReason ??= t.reason ?? undefined;
    }
    if (STATUS_RANK[t.status] > STATUS_RANK[record.status]) record.status = t.status;
  }
  return record;
}

/** The documents and their transitions (see models.ts for why transitions are documents of their own). */
export class MongoDocumentRepository implements DocumentRepository {
  constructor(
    private readonly documents: Model<StoredDocument>,
    private readonly transitions: Model<TransitionDocument>,
    private readonly encode: OutboxEncoder,
  ) {}

  private async withTransitions(docs: StoredDocument[]): Promise<DocumentWithContent[]> {
    if (docs.length === 0) return [];
    const transitions = await this.transitions
      .find({ documentId: { $in: docs.map((d) => d._id) } }, WITHOUT_OUTBOX)
      .sort({ revision: 1 })
      .lean<TransitionDocument[]>()
      .exec();
    return docs.map((doc) =>
      toRecord(
        doc,
        transitions.filter((t) => t.documentId === doc._id),
      ),
    );
  }

  async statusesOfMove(moveId: string): Promise<ExistingDocument[]> {
    const [docs, transitions] = await Promise.all([
      this.documents.find({ moveId }, { _id: 1, status: 1 }).lean<Pick<StoredDocument, '_id' | 'status'>[]>().exec(),
      this.transitions
        .find({ moveId }, { documentId: 1, status: 1 })
        .lean<Pick<TransitionDocument, 'documentId' | 'status'>[]>()
        .exec(),
    ]);
    return docs.map((d) => {
      let status = d.status;
      for (const t of transitions) {
        if (t.documentId === d._id && STATUS_RANK[t.status] > STATUS_RANK[status]) status = t.status;
      }
      return { documentId: d._id, status };
    });
  }

  async get(documentId: string): Promise<DocumentWithContent | undefined> {
    const doc = await this.documents.findById(documentId, WITHOUT_OUTBOX).lean<StoredDocument>().exec();
    if (!doc) return undefined;
    const [record] = await this.withTransitions([doc]);
    return record;
  }

  async listByPerson(personId: string): Promise<DocumentRecord[]> {
    return this.withTransitions(await this.documents.find({ personId }, METADATA_ONLY).lean<StoredDocument[]>().exec());
  }

  async listByMove(moveId: string): Promise<DocumentRecord[]> {
    return this.withTransitions(await this.documents.find({ moveId }, METADATA_ONLY).lean<StoredDocument[]>().exec());
  }

  async findByVerificationCode(code: string): Promise<DocumentRecord[]> {
    if (!code) return [];
    const docs = await this.documents
      .find({ verificationCode: code }, METADATA_ONLY)
      .limit(2)
      .lean<StoredDocument[]>()
      .exec();
    return this.withTransitions(docs);
  }

  /** The document, its content and its first events in one insert: the outbox write. */
  async insert(record: DocumentRecord, content: Buffer | undefined, events: DocumentEvent[]) {
    const { documentId, ...rest } = record;
    try {
      await this.documents.create({ ...rest, _id: documentId, content, outbox: events.map(this.encode) });
      return 'inserted' as const;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // Only a document with this id makes it a duplicate; a clash of document
      // numbers would be a bug and must not pass silently as one.
      if (await this.documents.exists({ _id: documentId })) return 'duplicate' as const;
      throw error;
    }
  }

  /**
   * A status change and its events in one insert, `_id` = `<documentId>|<revision + 1>`:
   * the primary key makes this a compare-and-set on the document's log (the
   * one atomic conditional write FerretDB 1.24 offers).
   */
  async transition(next: DocumentState, revision: number, events: DocumentEvent[]) {
    const at = next.status === 'revoked' ? next.revokedAt : next.completedAt;
    try {
      await this.transitions.create({
        _id: `${next.documentId}|${revision + 1}`,
        revision: revision + 1,
        documentId: next.documentId,
        moveId: next.moveId,
        status: next.status,
        at: at ?? new Date(),
        reason: next.revocationReason,
        outbox: events.map(this.encode),
      });
      return 'applied' as const;
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'stale' as const;
      throw error;
    }
  }
}
