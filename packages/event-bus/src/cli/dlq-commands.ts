import { randomBytes } from 'node:crypto';
import { findEventType } from '@buergerservice/contracts';
import type { IHeaders, Kafka } from 'kafkajs';
import { type DeadLetterInfo, decodeDeadLetterHeaders, replayMessage } from '../dead-letter.js';
import { CloudEventHeaders, headersAsStrings, headerValue } from '../headers.js';
import type { EventBus } from '../publisher.js';

/**
 * The operations behind `buergerservice-dlq`, usable programmatically (the
 * integration tests replay through them). Dead-letter topics are small, so
 * each operation reads the whole topic.
 */

/** "12" (partition 0) or "1:12". */
export interface DeadLetterPositionRef {
  readonly partition: number;
  readonly offset: string;
}

export interface DeadLetterRecord extends DeadLetterPositionRef {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
  readonly info: DeadLetterInfo;
  /** `ce_type` of the original record, when it had one. */
  readonly eventType: string | undefined;
  readonly eventId: string | undefined;
}

export function parsePosition(text: string): DeadLetterPositionRef {
  const match = /^(?:(\d+):)?(\d+)$/.exec(text.trim());
  if (!match?.[2]) throw new Error(`not an offset: ${text} (use N or PARTITION:N)`);
  return { partition: Number(match[1] ?? 0), offset: match[2] };
}

const safeHeader = (headers: IHeaders | undefined, name: string): string | undefined => {
  try {
    return headerValue(headers, name);
  } catch {
    // A repeated header is exactly the kind of damage a dead letter may have; show none rather than fail the listing.
    return undefined;
  }
};

/** Reads every record of a dead-letter topic with a throw-away consumer group that is deleted afterwards. */
export async function readDeadLetters(kafka: Kafka, topic: string, timeoutMs = 30_000): Promise<DeadLetterRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `dlq-tool-${randomBytes(6).toString('hex')}`;
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const remaining = new Map(
      ends.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high) - 1n]),
    );
    const records: DeadLetterRecord[] = [];
    if (remaining.size > 0) {
      const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
      await consumer.connect();
      try {
        await consumer.subscribe({ topic, fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`reading ${topic} timed out after ${timeoutMs} ms`)),
            timeoutMs,
          );
          consumer
            .run({
              autoCommit: false,
              eachMessage: async ({ partition, message }) => {
                let info: DeadLetterInfo;
                try {
                  info = decodeDeadLetterHeaders(message.headers);
                } catch (error) {
                  clearTimeout(timer);
                  reject(new Error(`${topic} ${partition}:${message.offset} is not a dead letter`, { cause: error }));
                  return;
                }
                records.push({
                  partition,
                  offset: message.offset,
                  key: message.key,
                  value: message.value,
                  headers: message.headers ?? {},
                  info,
                  eventType: safeHeader(message.headers, CloudEventHeaders.type),
                  eventId: safeHeader(message.headers, CloudEventHeaders.id),
                });
                const last = remaining.get(partition);
                if (last !== undefined && BigInt(message.offset) >= last) remaining.delete(partition);
                if (remaining.size === 0) {
                  clearTimeout(timer);
                  resolve();
                }
              },
            })
            .catch(reject);
        });
      } finally {
        await consumer.disconnect();
      }
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
    return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  } finally {
    await admin.disconnect();
  }
}

export interface DeadLetterRow {
  readonly partition: number;
  readonly offset: string;
  readonly originalTopic: string;
  readonly type: string;
  readonly reason: string;
  readonly error: string;
  readonly failedAt: string;
}

/** `list`: one row per dead letter. */
export async function listDeadLetters(kafka: Kafka, topic: string): Promise<DeadLetterRow[]> {
  return (await readDeadLetters(kafka, topic)).map((r) => ({
    partition: r.partition,
    offset: r.offset,
    originalTopic: r.info.originalTopic,
    type: r.eventType ?? '(none)',
    reason: r.info.reason,
    error: r.info.error,
    failedAt: r.info.failedAt.toISOString(),
  }));
}

export interface DeadLetterDetails {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly deadLetter: DeadLetterInfo;
  readonly headers: Record<string, string>;
  /** The decoded event, only with `showPayload` (it holds personal data). */
  readonly payload: unknown;
}

function decodePayload(type: string | undefined, value: Buffer | null): unknown {
  if (value === null) return { problem: 'record has no value' };
  const eventType = type ? findEventType(type) : undefined;
  if (!eventType) return { problem: `unknown event type ${type ?? '(none)'}`, base64: value.toString('base64') };
  try {
    const message = eventType.codec.decode(value);
    const codec: object = eventType.codec;
    // ts-proto codecs have toJSON (proto3 JSON mapping); the contracts' Codec type does not declare it.
    if ('toJSON' in codec && typeof codec.toJSON === 'function') return codec.toJSON(message);
    return message;
  } catch (error) {
    return {
      problem: `does not decode as ${type}: ${error instanceof Error ? error.message : String(error)}`,
      base64: value.toString('base64'),
    };
  }
}

/** `inspect`: headers, failure and, only on request, the decoded payload. */
export async function inspectDeadLetter(
  kafka: Kafka,
  topic: string,
  position: DeadLetterPositionRef,
  options: { showPayload?: boolean } = {},
): Promise<DeadLetterDetails> {
  const record = (await readDeadLetters(kafka, topic)).find(
    (r) => r.partition === position.partition && r.offset === position.offset,
  );
  if (!record) throw new Error(`no dead letter at ${topic} ${position.partition}:${position.offset}`);
  return {
    topic,
    partition: record.partition,
    offset: record.offset,
    deadLetter: record.info,
    headers: headersAsStrings(record.headers),
    payload: options.showPayload
      ? decodePayload(record.eventType, record.value)
      : '(hidden: it may hold personal data; pass --show-payload to decode it)',
  };
}

export interface ReplayedRecord {
  readonly partition: number;
  readonly offset: string;
  readonly toTopic: string;
  readonly eventId: string | undefined;
}

/**
 * `replay`: republishes dead letters to their original topics with their
 * original key, value and headers (so `ce_id` is unchanged) plus
 * `dlq_replayed_from`. Every group on that topic receives the record again;
 * groups that handled it before skip it through their idempotency.
 */
export async function replayDeadLetters(
  bus: EventBus,
  topic: string,
  selection: { readonly all: true } | { readonly positions: readonly DeadLetterPositionRef[] },
): Promise<ReplayedRecord[]> {
  const records = await readDeadLetters(bus.kafka, topic);
  let chosen: DeadLetterRecord[];
  if ('all' in selection) {
    chosen = records;
  } else {
    chosen = selection.positions.map((p) => {
      const found = records.find((r) => r.partition === p.partition && r.offset === p.offset);
      if (!found) throw new Error(`no dead letter at ${topic} ${p.partition}:${p.offset}`);
      return found;
    });
  }
  const replayed: ReplayedRecord[] = [];
  for (const record of chosen) {
    const { topic: toTopic, message } = replayMessage(record, {
      topic,
      partition: record.partition,
      offset: record.offset,
    });
    await bus.sendRecords(toTopic, [message]);
    replayed.push({ partition: record.partition, offset: record.offset, toTopic, eventId: record.eventId });
  }
  return replayed;
}
