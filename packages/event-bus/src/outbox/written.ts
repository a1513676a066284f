import { type Document, type Model, type Query, type Schema, Types } from 'mongoose';

/**
 * In-process notice "this aggregate document just got outbox entries", so the
 * relay can publish them by reading that one document (a lookup by `_id`)
 * instead of scanning the collection. Notices are only a shortcut: the relay's
 * periodic scan still finds every entry, e.g. ones written by another process.
 */
export interface OutboxWrite {
  /** `<database>.<collection>` */
  readonly namespace: string;
  readonly id: unknown;
}

type Listener = (write: OutboxWrite) => void;

const listeners = new Set<Listener>();

/** Calls `listener` for every outbox write of this process; returns the unsubscribe function. */
export function onOutboxWrite(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** What names a model's collection across connections. */
export interface Namespaced {
  readonly db: { readonly name: string };
  readonly collection: { readonly collectionName: string };
}

export function namespaceOf(model: Namespaced): string {
  return `${model.db.name}.${model.collection.collectionName}`;
}

/** A value that names one document (not an operator such as `{ $in: [...] }`, which the scan covers). */
function isDocumentId(id: unknown): boolean {
  return typeof id === 'string' || typeof id === 'number' || id instanceof Types.ObjectId;
}

function notify(model: Namespaced, id: unknown): void {
  if (listeners.size === 0 || !isDocumentId(id)) return;
  const write = { namespace: namespaceOf(model), id };
  for (const listener of listeners) listener(write);
}

/**
 * The entries an update appends to or sets in the outbox: `$push` with or without `$each` (see `withOutbox`),
 * `$set`, or a replacement document. Empty for any other update.
 */
export function entriesWritten(update: unknown): readonly unknown[] {
  if (typeof update !== 'object' || update === null || Array.isArray(update)) return [];
  const { $push, $set, outbox } = update as {
    $push?: { outbox?: unknown };
    $set?: { outbox?: unknown };
    outbox?: unknown;
  };
  const pushed = $push?.outbox as { $each?: unknown } | undefined;
  if (pushed !== undefined) return Array.isArray(pushed.$each) ? pushed.$each : [pushed];
  const replaced = $set?.outbox ?? outbox;
  return Array.isArray(replaced) ? replaced : [];
}

function hasEntries(doc: Document): boolean {
  const outbox: unknown = doc.get('outbox');
  return Array.isArray(outbox) && outbox.length > 0;
}

/**
 * Mongoose middleware that reports outbox writes to `onOutboxWrite` listeners: `create`/`save`, and
 * `updateOne`/`findOneAndUpdate` by `_id`. Other writes (insertMany, raw driver calls) are found by the scan.
 */
export function reportOutboxWrites(schema: Schema): void {
  schema.post('save', function (this: Document, doc: Document) {
    if (hasEntries(doc)) notify(doc.constructor as Model<unknown>, doc._id);
  });
  schema.post(['updateOne', 'findOneAndUpdate'], function (this: Query<unknown, unknown>) {
    if (entriesWritten(this.getUpdate()).length > 0) notify(this.model, this.getFilter()._id);
  });
}
