import { outboxPlugin, type WithOutbox } from '@buergerservice/event-bus';
import { type Connection, type Model, Schema } from 'mongoose';
import type { DocumentKind, DocumentStatus, RevocationReason } from '../domain/document.js';

/*
 * Why (almost) everything here is insert-only: FerretDB 1.24 with its SQLite
 * backend does not run an update's query and write in one transaction
 * (FerretDB issue #3040), so two concurrent updates of the same document can
 * lose one of them — measured here: 20 concurrent `$inc` on one counter
 * handed out duplicates, and two concurrent `$push` on a fresh move lost one.
 * An insert with a given `_id`, however, is atomic (SQLite's primary key):
 * exactly one of two racing inserts wins, the other gets E11000. So facts,
 * status changes and number claims are each a document of their own, keyed
 * by what they are, and "at most once" is the unique `_id`. Nothing is ever
 * updated (the outbox relay keeps its progress in its own collections).
 */

/**
 * One fact about a move (see domain/move.ts), `_id` = `<moveId>|<key>` with
 * key "address-changed", "revoked", "vehicle:<plate>", "restored:<plate>" or
 * "booking:<appointmentId>". Never changed or deleted; a move's version is
 * the number of its facts.
 */
export interface FactDocument {
  _id: string;
  moveId: string;
  key: string;
  /** The domain fact as it is (AddressChangeFact, Cause, VehicleUpdateFact, …). */
  fact: Record<string, unknown>;
  recordedAt: Date;
}

const factSchema = new Schema<FactDocument>(
  {
    _id: { type: String, required: true },
    moveId: { type: String, required: true },
    key: { type: String, required: true },
    fact: { type: Schema.Types.Mixed, required: true },
    recordedAt: { type: Date, required: true },
  },
  { collection: 'move_facts', versionKey: false, minimize: false },
);
factSchema.index({ moveId: 1 });

/** A document as issued: metadata, signature, content (binary) and the outbox with its first events. */
export interface StoredDocument extends WithOutbox {
  _id: string;
  kind: DocumentKind;
  /** The status at issue; later changes are transitions. */
  status: DocumentStatus;
  personId: string;
  applicantPersonId: string;
  moveId: string;
  plate: string;
  documentNumber: string;
  verificationCode: string;
  issuedAt: Date;
  completedAt?: Date | null;
  revokedAt?: Date | null;
  revocationReason?: RevocationReason | null;
  contentType: string;
  signedFields?: Record<string, string> | null;
  signature: string;
  keyId: string;
  content?: Buffer | null;
}

const documentSchema = new Schema<StoredDocument>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    status: { type: String, required: true },
    personId: { type: String, required: true },
    applicantPersonId: { type: String, required: true },
    moveId: { type: String, required: true },
    plate: { type: String, default: '' },
    documentNumber: { type: String, required: true },
    verificationCode: { type: String, default: '' },
    issuedAt: { type: Date, required: true },
    completedAt: { type: Date },
    revokedAt: { type: Date },
    revocationReason: { type: String },
    contentType: { type: String, default: '' },
    // A flat map of strings, stored as a plain subdocument.
    signedFields: { type: Schema.Types.Mixed },
    signature: { type: String, default: '' },
    keyId: { type: String, default: '' },
    // The PDF itself (10-60 kB): binary in the document, see README (why not GridFS).
    content: { type: Buffer },
  },
  { collection: 'documents', versionKey: false, minimize: false },
);
documentSchema.plugin(outboxPlugin);
documentSchema.index({ moveId: 1 });
documentSchema.index({ personId: 1 });
// Not unique: FerretDB 1.24 ignores `sparse`, and orders have no code. 80
// random bits make a collision practically impossible; a look-up that finds
// two answers "unknown" (verify-document), never one of them.
documentSchema.index({ verificationCode: 1 });
documentSchema.index({ documentNumber: 1 }, { unique: true });

/**
 * A status change of a document, `_id` = `<documentId>|<revision>`: the
 * changes of one document form a log numbered 1, 2, …; whoever inserts the
 * next number first made the change (see MongoDocumentRepository.transition).
 */
export interface TransitionDocument extends WithOutbox {
  _id: string;
  revision: number;
  documentId: string;
  moveId: string;
  status: DocumentStatus;
  at: Date;
  reason?: RevocationReason | null;
}

const transitionSchema = new Schema<TransitionDocument>(
  {
    _id: { type: String, required: true },
    revision: { type: Number, required: true },
    documentId: { type: String, required: true },
    moveId: { type: String, required: true },
    status: { type: String, required: true },
    at: { type: Date, required: true },
    reason: { type: String },
  },
  { collection: 'document_transitions', versionKey: false, minimize: false },
);
transitionSchema.plugin(outboxPlugin);
transitionSchema.index({ documentId: 1 });
transitionSchema.index({ moveId: 1 });

/** A drawn document number, `_id` = `<sequence>|<number>`: the insert that succeeds owns the number. */
export interface NumberClaimDocument {
  _id: string;
  sequence: string;
  value: number;
}

const numberClaimSchema = new Schema<NumberClaimDocument>(
  {
    _id: { type: String, required: true },
    sequence: { type: String, required: true },
    value: { type: Number, required: true },
  },
  { collection: 'number_claims', versionKey: false },
);
numberClaimSchema.index({ sequence: 1, value: -1 });

export interface DocumentModels {
  facts: Model<FactDocument>;
  documents: Model<StoredDocument>;
  transitions: Model<TransitionDocument>;
  numberClaims: Model<NumberClaimDocument>;
}

/** The service's models on its own connection (database per service). */
export function documentModels(connection: Connection): DocumentModels {
  return {
    facts: connection.model<FactDocument>('MoveFact', factSchema),
    documents: connection.model<StoredDocument>('Document', documentSchema),
    transitions: connection.model<TransitionDocument>('DocumentTransition', transitionSchema),
    numberClaims: connection.model<NumberClaimDocument>('NumberClaim', numberClaimSchema),
  };
}

/** Creates the indexes (idempotent); called at start-up. */
export async function ensureIndexes(models: DocumentModels): Promise<void> {
  await Promise.all(Object.values(models).map((model: Model<unknown>) => model.createIndexes()));
}
