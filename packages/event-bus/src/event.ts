import { randomUUID } from 'node:crypto';
import { type EventType, type Topic, TopicEventTypes } from '@buergerservice/contracts';
import { injectTraceHeaders } from '@buergerservice/telemetry';

/**
 * A domain event ready for the wire: its payload already protobuf-encoded,
 * its metadata and the trace context it was created in. Outbox entries have
 * exactly this shape, so the relay publishes them without re-encoding.
 */
export interface EncodedEvent {
  /** Event id (UUID), `ce_id`. */
  readonly id: string;
  readonly topic: string;
  /** Fully-qualified protobuf name, `ce_type`. */
  readonly typeName: string;
  /** Person id of the citizen, `ce_subject` and the record key. */
  readonly key: string;
  readonly payload: Uint8Array;
  readonly time: Date;
  readonly correlationId: string;
  readonly causationId: string;
  /** W3C context of the operation that caused the event; the publish span continues it. */
  readonly traceparent?: string;
  readonly tracestate?: string;
}

/** What the caller knows about an event besides its payload. */
export interface EventMeta {
  /** Person id of the citizen the event is about (record key, `ce_subject`). */
  readonly subject: string;
  /** The citizen's bundle; the same for every event the bundle causes. */
  readonly correlationId: string;
  /** The event id or command request id that caused this event. */
  readonly causationId: string;
  /** Defaults to a fresh UUID. Pass a deterministic id only when the event must be the same on a retry. */
  readonly id?: string;
  /** Defaults to now. */
  readonly time?: Date;
  /** Defaults to the topic whose catalogue lists the type (`TopicEventTypes`). */
  readonly topic?: string;
}

/** The topic an event type is published on, from the contracts' catalogue. */
export function topicOf(type: EventType<unknown>): Topic {
  for (const [topic, types] of Object.entries(TopicEventTypes) as [Topic, readonly EventType<unknown>[]][]) {
    if (types.some((t) => t.typeName === type.typeName)) return topic;
  }
  throw new Error(`${type.typeName} is not listed in TopicEventTypes; pass the topic explicitly`);
}

/**
 * Encodes an event and captures the active trace context, so that the trace
 * continues from where the event was caused even when it is published later
 * by the outbox relay.
 */
export function encodeEvent<T>(type: EventType<T>, payload: T, meta: EventMeta): EncodedEvent {
  if (!meta.subject) throw new Error(`${type.typeName}: subject (person id) is required`);
  if (!meta.correlationId) throw new Error(`${type.typeName}: correlationId is required`);
  if (!meta.causationId) throw new Error(`${type.typeName}: causationId is required`);
  const trace = injectTraceHeaders<Record<string, string>>({});
  return {
    id: meta.id ?? randomUUID(),
    topic: meta.topic ?? topicOf(type as EventType<unknown>),
    typeName: type.typeName,
    key: meta.subject,
    payload: type.codec.encode(payload).finish(),
    time: meta.time ?? new Date(),
    correlationId: meta.correlationId,
    causationId: meta.causationId,
    ...(trace.traceparent ? { traceparent: trace.traceparent } : {}),
    ...(trace.tracestate ? { tracestate: trace.tracestate } : {}),
  };
}
