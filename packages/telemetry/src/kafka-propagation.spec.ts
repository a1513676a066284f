import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  captureTraceHeaders,
  extractContext,
  injectTraceHeaders,
  type KafkaHeaders,
  startPublishSpan,
  withProcessSpan,
  withPublishSpan,
} from './kafka-propagation.js';

const topic = 'registration.events.v1';

describe('Kafka propagation without an SDK', () => {
  it('runs the work and writes no headers', async () => {
    const headers: KafkaHeaders = { ce_id: 'e-1' };
    const published = await withPublishSpan(topic, { eventId: 'e-1' }, (traceHeaders) => {
      Object.assign(headers, traceHeaders);
      return 'sent';
    });
    expect(published).toBe('sent');
    expect(headers).toEqual({ ce_id: 'e-1' });
    await expect(withProcessSpan(topic, headers, { consumerGroup: 'vehicle' }, () => 7)).resolves.toBe(7);
  });
});

describe('Kafka propagation with an SDK', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const contextManager = new AsyncLocalStorageContextManager();

  beforeAll(() => {
    contextManager.enable();
    context.setGlobalContextManager(contextManager);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
  });
  afterAll(async () => {
    trace.disable();
    propagation.disable();
    context.disable();
    await provider.shutdown();
  });
  beforeEach(() => exporter.reset());

  const finished = (name: string) => {
    const span = exporter.getFinishedSpans().find((s) => s.name === name);
    if (!span) throw new Error(`no finished span ${name}`);
    return span;
  };

  it('continues the producer trace in the consumer: child of the publish span, and linked to it', async () => {
    const request = trace.getTracer('spec').startSpan('POST /bundles', {}, ROOT_CONTEXT);
    // What the outbox stores with an entry while the request is active.
    const stored = context.with(trace.setSpan(ROOT_CONTEXT, request), () => captureTraceHeaders());
    request.end();
    expect(stored.traceparent).toMatch(new RegExp(`^00-${request.spanContext().traceId}-`));

    // The relay, later, outside the request's context.
    const message: KafkaHeaders = { ce_id: 'e-1' };
    await withPublishSpan(
      topic,
      { eventId: 'e-1', eventType: 'buergerservice.registration.v1.AddressChanged', correlationId: 'c-1' },
      (traceHeaders) => {
        Object.assign(message, traceHeaders);
      },
      extractContext(stored),
    );
    // Kafka hands headers back as Buffers.
    const received: KafkaHeaders = Object.fromEntries(
      Object.entries(message).map(([k, v]) => [k, Buffer.from(String(v))]),
    );
    let activeInHandler: string | undefined;
    await withProcessSpan(
      topic,
      received,
      { consumerGroup: 'vehicle', partition: 2, offset: '17', eventId: 'e-1' },
      () => {
        activeInHandler = trace.getActiveSpan()?.spanContext().spanId;
      },
    );

    const publish = finished(`${topic} publish`);
    const process = finished(`${topic} process`);
    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(publish.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(publish.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(publish.attributes).toEqual({
      'messaging.system': 'kafka',
      'messaging.destination.name': topic,
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'publish',
      'messaging.message.id': 'e-1',
      'buergerservice.event_type': 'buergerservice.registration.v1.AddressChanged',
      'buergerservice.correlation_id': 'c-1',
    });
    expect(message.traceparent).toBe(`00-${publish.spanContext().traceId}-${publish.spanContext().spanId}-01`);

    expect(process.kind).toBe(SpanKind.CONSUMER);
    expect(process.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(process.parentSpanContext?.spanId).toBe(publish.spanContext().spanId);
    expect(process.links.map((l) => l.context.spanId)).toEqual([publish.spanContext().spanId]);
    expect(process.attributes).toMatchObject({
      'messaging.operation.type': 'process',
      'messaging.consumer.group.name': 'vehicle',
      'messaging.destination.partition.id': '2',
      'messaging.kafka.offset': 17,
    });
    expect(process.attributes['messaging.kafka.message.key']).toBeUndefined();
    expect(activeInHandler).toBe(process.spanContext().spanId);
  });

  it('starts a new trace for a message without trace headers', async () => {
    await withProcessSpan(topic, { ce_id: 'e-2' }, { consumerGroup: 'vehicle' }, () => undefined);
    const process = finished(`${topic} process`);
    expect(process.parentSpanContext).toBeUndefined();
    expect(process.links).toEqual([]);
  });

  it('marks the span failed, rethrows, and keeps the message text out of the attributes', async () => {
    await expect(
      withProcessSpan(topic, undefined, { consumerGroup: 'vehicle' }, () => {
        throw new TypeError('bad person Müller');
      }),
    ).rejects.toThrow('bad person Müller');
    const process = finished(`${topic} process`);
    expect(process.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(process.attributes['error.type']).toBe('TypeError');
    expect(process.ended).toBe(true);
  });

  it('startPublishSpan parents on the active context and leaves ending to the caller', () => {
    const parent = trace.getTracer('spec').startSpan('use case', {}, ROOT_CONTEXT);
    const span = context.with(trace.setSpan(ROOT_CONTEXT, parent), () => startPublishSpan(topic, { eventId: 'e-3' }));
    expect(exporter.getFinishedSpans()).toEqual([]);
    span.end();
    parent.end();
    expect(finished(`${topic} publish`).parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    const headers = injectTraceHeaders({}, trace.setSpan(ROOT_CONTEXT, span));
    expect(trace.getSpanContext(extractContext(headers))?.spanId).toBe(span.spanContext().spanId);
  });
});
