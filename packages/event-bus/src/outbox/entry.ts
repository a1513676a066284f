import type { EventType } from '@buergerservice/contracts';
import { Schema } from 'mongoose';
import { type EventMeta, encodeEvent } from '../event.js';
import { reportOutboxWrites } from './written.js';

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

/** Documents with entries recorded from `since` on; matches the index the plugin creates. */
export function outboxWindowFilter(since: Date): { 'outbox.recordedAt': { $gte: Date } } {
  return { 'outbox.recordedAt': { $gte: since } };
}

/**
 * Adds the outbox to an aggregate's schema: `schema.plugin(outboxPlugin)`.
 * Mongoose drops update paths missing from a schema, so the field must be
 * declared. The index serves the relay's scan for recent entries.
 *
 * Entries stay in the document after they are published (the relay keeps
 * its progress elsewhere, see relay-state.ts): the array is the aggregate's
 * own record of the events it raised. Only the aggregate's use cases write
 * the document, always appending with $push (`withOutbox`).
 */
export function outboxPlugin(schema: Schema): void {
  schema.add({ outbox: { type: [outboxEntrySchema], default: [] } });
  schema.index({ 'outbox.recordedAt': 1 });
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
