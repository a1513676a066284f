import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { context, propagation, type SpanContext, SpanKind, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { TopicRecorder, uniqueName, waitUntil } from '@buergerservice/testing';
import { type EventBus, type EventConsumer, OutboxRelay, on, outboxEntry } from '../../src/index.js';
import {
  AddressChanged,
  addressChanged,
  memoryLogger,
  openTestDatabase,
  type TestDatabase,
  testBus,
} from './support.js';

// One trace from the citizen's request through the outbox relay to the
// consumer. Spans are recorded in memory by a real SDK tracer provider (the
// SDK's require-hook instrumentations do not work inside jest, the API does).

describe('trace context through the outbox and Kafka', () => {
  const exporter = new InMemorySpanExporter();
  let bus: EventBus;
  let db: TestDatabase;
  let consumer: EventConsumer | undefined;
  let recorder: TopicRecorder | undefined;

  beforeAll(async () => {
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    bus = testBus('trace-test', memoryLogger().logger);
    db = await openTestDatabase('trace');
  });
  afterAll(async () => {
    await consumer?.stop();
    await recorder?.stop();
    await bus.disconnect();
    await db.close();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('continues the request trace in the relay’s publish span and the consumer’s process span', async () => {
    const topic = uniqueName('registration-events');
    const groupId = uniqueName('vehicle');
    await bus.ensureTopics([topic], { partitions: 1, deadLetterGroups: [groupId] });
    recorder = await TopicRecorder.start(topic);
    let inHandler: SpanContext | undefined;
    consumer = bus.consumer({
      groupId,
      topics: [topic],
      handlers: [
        on(AddressChanged, async () => {
          inHandler = trace.getActiveSpan()?.spanContext();
        }),
      ],
    });
    await consumer.start();

    // The citizen's request: the use case writes the move and its event.
    const person = uniqueName('person');
    const request = await trace.getTracer('test').startActiveSpan('POST /api/bundles', async (span) => {
      const entry = outboxEntry(AddressChanged, addressChanged(person, 'move-1'), {
        subject: person,
        correlationId: 'bundle-1',
        causationId: 'request-1',
        topic,
      });
      await db.Residences.create({ _id: person, street: 'Augustusplatz', outbox: [entry] });
      span.end();
      return { context: span.spanContext(), entry };
    });
    expect(request.entry.traceparent).toBe(`00-${request.context.traceId}-${request.context.spanId}-01`);

    // Later, outside the request, the relay publishes it.
    await new OutboxRelay({ bus, models: [db.Residences] }).runOnce();
    await waitUntil(() => inHandler, { message: 'the handler ran' });

    const spans = exporter.getFinishedSpans();
    const publish = spans.find((s) => s.name === `${topic} publish`);
    const process = spans.find((s) => s.name === `${topic} process`);
    expect(publish?.kind).toBe(SpanKind.PRODUCER);
    expect(publish?.spanContext().traceId).toBe(request.context.traceId);
    expect(publish?.parentSpanContext?.spanId).toBe(request.context.spanId);
    expect(publish?.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': topic,
      'messaging.message.id': request.entry.id,
    });

    const [onWire] = await recorder.waitFor(() => true);
    expect(onWire?.headers.traceparent).toBe(`00-${request.context.traceId}-${publish?.spanContext().spanId}-01`);

    expect(process?.kind).toBe(SpanKind.CONSUMER);
    expect(process?.spanContext().traceId).toBe(request.context.traceId);
    expect(process?.parentSpanContext?.spanId).toBe(publish?.spanContext().spanId);
    expect(process?.links.map((l) => l.context.spanId)).toEqual([publish?.spanContext().spanId]);
    expect(process?.attributes).toMatchObject({
      'messaging.consumer.group.name': groupId,
      'messaging.message.id': request.entry.id,
      'buergerservice.event_type': AddressChanged.typeName,
    });
    expect(inHandler?.spanId).toBe(process?.spanContext().spanId);
    // The record key is the person id: it must not become a span attribute.
    for (const span of [publish, process]) {
      expect(Object.values(span?.attributes ?? {})).not.toContain(person);
    }
  });
});
