import type { IHeaders, Message } from 'kafkajs';
import { headerValue } from './headers.js';

/** Every consumer group has one dead-letter topic. */
export function deadLetterTopic(groupId: string): string {
  return `${groupId}.dlq`;
}

/**
 * Headers added to a dead-lettered record (the typed form is the proto's
 * DeadLetterInfo). The record keeps the original key, value and headers, so
 * a replay republishes exactly what was received.
 */
export const DeadLetterHeaders = {
  originalTopic: 'dlq_original_topic',
  originalPartition: 'dlq_original_partition',
  originalOffset: 'dlq_original_offset',
  consumerGroup: 'dlq_consumer_group',
  reason: 'dlq_reason',
  error: 'dlq_error',
  attempts: 'dlq_attempts',
  failedAt: 'dlq_failed_at',
  /** Set on a replayed record: "<dlq topic>:<partition>:<offset>" it came from. */
  replayedFrom: 'dlq_replayed_from',
} as const;

/** "malformed": headers or payload unreadable, never retried. "handler-failed": retries exhausted. */
export type DeadLetterReason = 'malformed' | 'handler-failed';

export interface DeadLetterInfo {
  readonly originalTopic: string;
  readonly originalPartition: number;
  readonly originalOffset: string;
  readonly consumerGroup: string;
  readonly reason: DeadLetterReason;
  /** Error name and message of the last attempt. */
  readonly error: string;
  readonly attempts: number;
  readonly failedAt: Date;
}

const MAX_ERROR_LENGTH = 500;

/**
 * The error text stored with a dead letter: name and message only, never the
 * stack or the cause chain's data, and bounded in length. Handlers throw
 * errors naming ids, not personal data (see the README), so this is safe to
 * keep in a topic operators read.
 */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : `non-error thrown: ${typeof error}`;
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

export function encodeDeadLetterHeaders(info: DeadLetterInfo): Record<string, string> {
  return {
    [DeadLetterHeaders.originalTopic]: info.originalTopic,
    [DeadLetterHeaders.originalPartition]: String(info.originalPartition),
    [DeadLetterHeaders.originalOffset]: info.originalOffset,
    [DeadLetterHeaders.consumerGroup]: info.consumerGroup,
    [DeadLetterHeaders.reason]: info.reason,
    [DeadLetterHeaders.error]: info.error,
    [DeadLetterHeaders.attempts]: String(info.attempts),
    [DeadLetterHeaders.failedAt]: info.failedAt.toISOString(),
  };
}

/** Reads the dead-letter headers of a record from a dead-letter topic; throws when they are incomplete. */
export function decodeDeadLetterHeaders(headers: IHeaders | undefined): DeadLetterInfo {
  const read = (name: string): string => {
    const value = headerValue(headers, name);
    if (value === undefined) throw new Error(`not a dead letter: header ${name} is missing`);
    return value;
  };
  const reason = read(DeadLetterHeaders.reason);
  if (reason !== 'malformed' && reason !== 'handler-failed') throw new Error(`unknown dead-letter reason ${reason}`);
  return {
    originalTopic: read(DeadLetterHeaders.originalTopic),
    originalPartition: Number(read(DeadLetterHeaders.originalPartition)),
    originalOffset: read(DeadLetterHeaders.originalOffset),
    consumerGroup: read(DeadLetterHeaders.consumerGroup),
    reason,
    error: read(DeadLetterHeaders.error),
    attempts: Number(read(DeadLetterHeaders.attempts)),
    failedAt: new Date(read(DeadLetterHeaders.failedAt)),
  };
}

const isDeadLetterHeader = (name: string) => name.startsWith('dlq_');

/** Original headers without the dead-letter ones (which a replay must not carry back). */
function originalHeaders(headers: IHeaders | undefined): IHeaders {
  const out: IHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!isDeadLetterHeader(name) && value !== undefined) out[name] = value;
  }
  return out;
}

/** The parts of a consumed record that dead-lettering and replaying keep. */
export interface RecordContent {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: IHeaders;
}

/** The record written to the dead-letter topic: original key, value and headers, plus the `dlq_*` headers. */
export function deadLetterMessage(original: RecordContent, info: DeadLetterInfo): Message {
  return {
    key: original.key,
    value: original.value,
    headers: { ...originalHeaders(original.headers), ...encodeDeadLetterHeaders(info) },
  };
}

/** Where a dead letter sits, as `dlq_replayed_from` records it. */
export interface DeadLetterPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * The record a replay publishes to the original topic: the original key,
 * value and headers (so `ce_id` is unchanged and groups that handled it
 * before skip it), and `dlq_replayed_from`.
 */
export function replayMessage(dead: RecordContent, from: DeadLetterPosition): { topic: string; message: Message } {
  const info = decodeDeadLetterHeaders(dead.headers);
  return {
    topic: info.originalTopic,
    message: {
      key: dead.key,
      value: dead.value,
      headers: {
        ...originalHeaders(dead.headers),
        [DeadLetterHeaders.replayedFrom]: `${from.topic}:${from.partition}:${from.offset}`,
      },
    },
  };
}
