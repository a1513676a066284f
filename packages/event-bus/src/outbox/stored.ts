import { mongo } from 'mongoose';
import type { OutboxEntry } from './entry.js';

/** Thrown when a document's outbox holds something that is not an entry; the relay cannot publish it. */
export class CorruptOutboxError extends Error {
  override readonly name = 'CorruptOutboxError';
}

function bytes(value: unknown): Buffer | undefined {
  if (value instanceof mongo.Binary) return Buffer.from(value.buffer);
  if (Buffer.isBuffer(value)) return value;
  return undefined;
}

function requiredText(record: Record<string, unknown>, field: string, where: string): string {
  const value = record[field];
  if (typeof value !== 'string' || value === '') {
    throw new CorruptOutboxError(`outbox entry in ${where}: ${field} is not a non-empty string`);
  }
  return value;
}

function optionalText(record: Record<string, unknown>, field: string): string | undefined {
  const value = record[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Reads the raw `outbox` array of a document as read by the driver. */
export function readOutboxEntries(outbox: unknown, where: string): OutboxEntry[] {
  if (!Array.isArray(outbox)) return [];
  return outbox.map((raw: unknown) => {
    if (typeof raw !== 'object' || raw === null)
      throw new CorruptOutboxError(`outbox entry in ${where} is not a document`);
    const record = raw as Record<string, unknown>;
    const payload = bytes(record.payload);
    if (!payload) throw new CorruptOutboxError(`outbox entry in ${where}: payload is not binary`);
    const { time, recordedAt } = record;
    if (!(time instanceof Date)) throw new CorruptOutboxError(`outbox entry in ${where}: time is not a date`);
    if (!(recordedAt instanceof Date)) {
      throw new CorruptOutboxError(`outbox entry in ${where}: recordedAt is not a date`);
    }
    const traceparent = optionalText(record, 'traceparent');
    const tracestate = optionalText(record, 'tracestate');
    return {
      id: requiredText(record, 'id', where),
      topic: requiredText(record, 'topic', where),
      typeName: requiredText(record, 'typeName', where),
      key: requiredText(record, 'key', where),
      payload,
      time,
      recordedAt,
      correlationId: requiredText(record, 'correlationId', where),
      causationId: requiredText(record, 'causationId', where),
      ...(traceparent ? { traceparent } : {}),
      ...(tracestate ? { tracestate } : {}),
    };
  });
}
