import {
  type Attributes,
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapSetter,
  trace,
} from '@opentelemetry/api';

/**
 * Trace context across Kafka, done explicitly by the event bus instead of a
 * kafkajs auto-instrumentation: the bus knows the event (id, type,
 * correlation id) and the outbox, which a client-library hook does not.
 *
 * Only @opentelemetry/api is used, so without a started SDK every function
 * here is a cheap no-op that still runs the wrapped work.
 */

/** Kafka message headers as kafkajs types them (`IHeaders`). */
export type KafkaHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

/** The W3C trace headers alone, e.g. to store with an outbox entry. */
export type TraceHeaders = Record<string, string>;

/** What the bus knows about a message; becomes messaging.* and buergerservice.* attributes. */
export interface MessageAttributes {
  /** The event id (CloudEvents `ce_id`): messaging.message.id. */
  readonly eventId?: string;
  /** Fully-qualified protobuf name (`ce_type`). */
  readonly eventType?: string;
  /** The citizen's bundle. */
  readonly correlationId?: string;
  readonly partition?: number;
  /** Offsets are int64 strings in kafkajs. */
  readonly offset?: string;
}

export interface ProcessAttributes extends MessageAttributes {
  readonly consumerGroup: string;
}

const tracerName = '@buergerservice/telemetry/kafka';

const setter: TextMapSetter<KafkaHeaders> = {
  set(carrier, key, value) {
    carrier[key] = value;
  },
};

const getter: TextMapGetter<KafkaHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get(carrier, key) {
    const value = carrier[key];
    if (value === undefined) return undefined;
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  },
};

/** Writes `traceparent` (and `tracestate`) of `ctx` (default: the active context) into `headers` and returns them. */
export function injectTraceHeaders<H extends KafkaHeaders>(headers: H, ctx: Context = context.active()): H {
  propagation.inject(ctx, headers, setter);
  return headers;
}

/**
 * The trace headers of `ctx` (default: the active context) as a new object:
 * what an outbox entry stores so the relay can publish in the trace of the
 * operation that wrote it. Empty without an SDK or outside a trace.
 */
export function captureTraceHeaders(ctx: Context = context.active()): TraceHeaders {
  return injectTraceHeaders<TraceHeaders>({}, ctx);
}

/** The trace context carried by a message's headers (the root context when there is none). */
export function extractContext(headers: KafkaHeaders | undefined, base: Context = ROOT_CONTEXT): Context {
  if (!headers) return base;
  return propagation.extract(base, headers, getter);
}

function messageAttributes(topic: string, operationType: string, attrs: MessageAttributes): Attributes {
  const attributes: Attributes = {
    'messaging.system': 'kafka',
    'messaging.destination.name': topic,
    'messaging.operation.type': operationType,
    'messaging.operation.name': operationType === 'send' ? 'publish' : 'process',
  };
  if (attrs.eventId !== undefined) attributes['messaging.message.id'] = attrs.eventId;
  if (attrs.partition !== undefined) attributes['messaging.destination.partition.id'] = String(attrs.partition);
  if (attrs.offset !== undefined) attributes['messaging.kafka.offset'] = Number(attrs.offset);
  if (attrs.eventType !== undefined) attributes['buergerservice.event_type'] = attrs.eventType;
  if (attrs.correlationId !== undefined) attributes['buergerservice.correlation_id'] = attrs.correlationId;
  // The record key (messaging.kafka.message.key) is deliberately absent: it is
  // the citizen's person id, see the attribute allowlist.
  return attributes;
}

/**
 * Starts the PRODUCER span `<topic> publish` as a child of `parent` (default:
 * the active context). The caller ends it; `withPublishSpan` does all of it.
 */
export function startPublishSpan(
  topic: string,
  attrs: MessageAttributes = {},
  parent: Context = context.active(),
): Span {
  return trace
    .getTracer(tracerName)
    .startSpan(
      `${topic} publish`,
      { kind: SpanKind.PRODUCER, attributes: messageAttributes(topic, 'send', attrs) },
      parent,
    );
}

/**
 * Runs `send` inside a `<topic> publish` span. `send` receives the trace
 * headers of the publish span to put on the message, so consumers continue
 * this trace. `parent` is the context the event was caused in; for an outbox
 * relay that is `extractContext(entry.traceHeaders)`, not the relay's own.
 */
export async function withPublishSpan<T>(
  topic: string,
  attrs: MessageAttributes,
  send: (traceHeaders: TraceHeaders, span: Span) => Promise<T> | T,
  parent: Context = context.active(),
): Promise<T> {
  const span = startPublishSpan(topic, attrs, parent);
  const ctx = trace.setSpan(parent, span);
  return runInSpan(span, ctx, () => send(captureTraceHeaders(ctx), span));
}

/**
 * Runs `handle` inside the CONSUMER span `<topic> process`. The span is a
 * child of the producer's context from the headers — so the whole fan-out is
 * one trace — and also links to it, as the messaging conventions ask for.
 * Throws what `handle` throws, after recording it on the span.
 */
export async function withProcessSpan<T>(
  topic: string,
  headers: KafkaHeaders | undefined,
  attrs: ProcessAttributes,
  handle: (span: Span) => Promise<T> | T,
): Promise<T> {
  const parent = extractContext(headers);
  const producer = trace.getSpanContext(parent);
  const attributes = messageAttributes(topic, 'process', attrs);
  attributes['messaging.consumer.group.name'] = attrs.consumerGroup;
  const span = trace.getTracer(tracerName).startSpan(
    `${topic} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes,
      links: producer && trace.isSpanContextValid(producer) ? [{ context: producer }] : [],
    },
    parent,
  );
  return runInSpan(span, trace.setSpan(parent, span), () => handle(span));
}

async function runInSpan<T>(span: Span, ctx: Context, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await context.with(ctx, fn);
  } catch (error) {
    // No status message: error texts may quote event content. The exception
    // event's message is dropped by the attribute allowlist before export.
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.setAttribute('error.type', error instanceof Error ? error.name : typeof error);
    if (error instanceof Error) span.recordException(error);
    throw error;
  } finally {
    span.end();
  }
}
