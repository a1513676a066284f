import type { EventType } from '@buergerservice/contracts';
import { Schema } from 'mongoose';
import { type EventMeta, encodeEvent } from '../event.js';
import { entriesWritten, reportOutboxWrites } from './written.js';

/**
 * An event waiting in its aggregate's document to be published. Written in
 * the same single-document write as the state change that caused it; that
 * write is the transactional outbox (no multi-document transactions needed).
 */
export interface OutboxEntry {
  /** Event id, `ce_id`. */
  id: string;
  topic: string;
  /** Fully-qualified protobuf name, `ce_type`. */
  typeName: string;
  /** Person id: record key and `ce_subject`. */
  key: string;
  /** The protobuf-encoded event. */
  payload: Buffer;
  /** When the fact happened (`ce_time`); may lie in the past. */
  time: Date;
  /**
   * When the entry was created, just before the write that stores it. The
   * relay scans by it (not by `time`, which a use case may set to the past).
   */
  recordedAt: Date;
  correlationId: string;
  causationId: string;
  /** Trace context of the request that caused the event: the relay's publish span joins that trace. */
  traceparent?: string;
  tracestate?: string;
}

/** The field `outboxPlugin` adds to an aggregate's schema. */
export interface WithOutbox {
  outbox: OutboxEntry[];
}

export const outboxEntrySchema = new Schema<OutboxEntry>(
  {
    id: { type: String, required: true },
    topic: { type: String, required: true },
    typeName: { type: String, required: true },
    key: { type: String, required: true },
    payload: { type: Buffer, required: true },
    time: { type: Date, required: true },
    recordedAt: { type: Date, required: true },
    correlationId: { type: String, required: true },
    causationId: { type: String, required: true },
    traceparent: { type: String },
    tracestate: { type: String },
  },
  // No subdocument _id and no `id` virtual: `id` is the event id here.
  { _id: false, id: false },
);

/** Documents with entries recorded from `since` on: the relay's full scan (see OutboxRelay). */
export function outboxWindowFilter(since: Date): { 'outbox.recordedAt': { $gte: Date } } {
  return { 'outbox.recordedAt': { $gte: since } };
}

/**
 * The top-level field that tells in which minute a document last got outbox
 * entries: the latest `recordedAt` among them, as `YYYY-MM-DDTHH:MM` (UTC).
 * The relay finds recent documents by equality on it, one query per minute
 * of its window: MongoDB-compatible servers that search indexes only for
 * top-level equality (FerretDB on SQLite, see infra/images/README.md) would
 * read the whole collection for the range on `outbox.recordedAt`.
 */
export const OUTBOX_MINUTE = 'outboxMinute';

/** The minute bucket of a time, `YYYY-MM-DDTHH:MM` in UTC; sorts like the time. */
export function minuteOf(time: Date | number): string {
  return new Date(time).toISOString().slice(0, 16);
}

/** The latest minute among entries' `recordedAt` (undefined for none). */
function latestMinute(entries: readonly unknown[]): string | undefined {
  let latest: number | undefined;
  for (const entry of entries) {
    const recordedAt = (entry as { recordedAt?: unknown } | null)?.recordedAt;
    const time = recordedAt instanceof Date ? recordedAt.getTime() : Number.NaN;
    if (!Number.isNaN(time) && (latest === undefined || time > latest)) latest = time;
  }
  return latest === undefined ? undefined : minuteOf(latest);
}

/**
 * Adds `$max: { outboxMinute }` to an update that writes outbox entries, in
 * the same single-document write. `$max` keeps the latest minute when
 * writers race across a minute's end. Returns the update unchanged otherwise.
 */
export function withOutboxMinute<U extends Record<string, unknown>>(update: U): U & { $max?: Record<string, unknown> } {
  const minute = latestMinute(entriesWritten(update));
  if (minute === undefined) return update;
  const max = (update.$max ?? {}) as Record<string, unknown>;
  const current = max[OUTBOX_MINUTE];
  if (typeof current === 'string' && current >= minute) return update;
  return { ...update, $max: { ...max, [OUTBOX_MINUTE]: minute } };
}

/**
 * Adds the outbox to an aggregate's schema: `schema.plugin(outboxPlugin)`.
 * Mongoose drops update paths missing from a schema, so the fields must be
 * declared. Middleware keeps `outboxMinute` (indexed, see OUTBOX_MINUTE)
 * with every write through the model that adds entries: `create`/`save`,
 * `insertMany`, and `updateOne`/`updateMany`/`findOneAndUpdate`. A raw
 * driver write bypasses it; the relay finds such entries only in the full
 * scan it makes when it starts.
 *
 * Entries stay in the document after they are published (the relay keeps
 * its progress elsewhere, see relay-state.ts): the array is the aggregate's
 * own record of the events it raised. Only the aggregate's use cases write
 * the document, always appending with $push (`withOutbox`).
 */
export function outboxPlugin(schema: Schema): void {
  schema.add({ outbox: { type: [outboxEntrySchema], default: [] }, [OUTBOX_MINUTE]: { type: String } });
  schema.index({ [OUTBOX_MINUTE]: 1 });
  schema.pre('save', function () {
    if (!this.isNew && !this.isModified('outbox')) return;
    const outbox: unknown = this.get('outbox');
    const minute = Array.isArray(outbox) ? latestMinute(outbox) : undefined;
    const current: unknown = this.get(OUTBOX_MINUTE);
    if (minute !== undefined && (typeof current !== 'string' || minute > current)) this.set(OUTBOX_MINUTE, minute);
  });
  schema.pre('insertMany', (docs: unknown) => {
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      if (typeof doc !== 'object' || doc === null) continue;
      const record = doc as Record<string, unknown>;
      const minute = Array.isArray(record.outbox) ? latestMinute(record.outbox) : undefined;
      if (minute !== undefined) record[OUTBOX_MINUTE] = minute;
    }
  });
  schema.pre(['updateOne', 'updateMany', 'findOneAndUpdate'], function () {
    const update = this.getUpdate();
    if (update && !Array.isArray(update)) this.setUpdate(withOutboxMinute(update as Record<string, unknown>));
  });
  reportOutboxWrites(schema);
}

/** Builds an outbox entry: encodes the payload and captures the active trace context. */
export function outboxEntry<T>(type: EventType<T>, payload: T, meta: EventMeta): OutboxEntry {
  const { payload: bytes, ...rest } = encodeEvent(type, payload, meta);
  return { ...rest, payload: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), recordedAt: new Date() };
}

export type OutboxPush = { $push: { outbox: { $each: OutboxEntry[] } } };

/**
 * Adds "append these entries to the outbox" to a use case's own update, so
 * the state change and its events land in one single-document write:
 * `Model.updateOne(filter, withOutbox({ $set: { address } }, entry))`.
 * Always append with $push: replacing the array could drop pending entries.
 */
export function withOutbox<U extends object>(update: U, ...entries: OutboxEntry[]): U & OutboxPush {
  const push = '$push' in update ? update.$push : undefined;
  if (push !== undefined && (typeof push !== 'object' || push === null))
    throw new Error('withOutbox: $push must be an object');
  if (push && 'outbox' in push) throw new Error('withOutbox: the update already pushes to outbox');
  return { ...update, $push: { ...push, outbox: { $each: entries } } } as U & OutboxPush;
}
