import { metrics } from '@opentelemetry/api';
import { type DataPoint, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { TopicRecorder, uniqueName, waitUntil } from '@buergerservice/testing';
import { registration } from '@buergerservice/contracts';
import {
  deadLetterTopic,
  type EventBus,
  type EventConsumer,
  OutboxRelay,
  on,
  outboxEntry,
  type RelayStateDocument,
} from '../../src/index.js';
import {
  AddressChanged,
  AddressChangeRevoked,
  addressChanged,
  memoryLogger,
  openTestDatabase,
  type TestDatabase,
  testBus,
} from './support.js';

// The platform metrics the bus feeds, read through a real SDK meter provider.

class TestReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

describe('event bus metrics', () => {
  const reader = new TestReader();
  let bus: EventBus;
  let db: TestDatabase;
  let consumer: EventConsumer | undefined;
  let relay: OutboxRelay | undefined;

  beforeAll(async () => {
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    bus = testBus('metrics-test', memoryLogger().logger);
    db = await openTestDatabase('metrics');
  });
  afterAll(async () => {
    await relay?.stop();
    await consumer?.stop();
    await bus.disconnect();
    await db.close();
    metrics.disable();
  });

  async function points(name: string): Promise<DataPoint<unknown>[]> {
    const { resourceMetrics } = await reader.collect();
    const metric = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
    return metric?.dataPoints ?? [];
  }

  async function value(name: string, attributes: Record<string, string>): Promise<unknown> {
    const found = (await points(name)).find((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v));
    return found?.value;
  }

  it('counts published, handled, retried, skipped and dead-lettered events, the lag and the outbox backlog', async () => {
    const topic = uniqueName('registration-events');
    const groupId = uniqueName('vehicle');
    await bus.ensureTopics([topic], { partitions: 2, deadLetterGroups: [groupId] });
    const person = uniqueName('person');
    const meta = { subject: person, correlationId: 'bundle-1', causationId: 'request-1', topic };
    const outbox = { outbox: db.Residences.collection.collectionName };

    // A running relay that has made its first pass and now waits (long poll interval).
    relay = new OutboxRelay({ bus, models: [db.Residences], name: topic, pollIntervalMs: 600_000 });
    relay.start();
    await waitUntil(
      () => db.connection.collection<RelayStateDocument>('outbox_relay').findOne({ _id: `watermark:${outbox.outbox}` }),
      { message: 'the relay’s first pass' },
    );
    await db.Residences.create({
      _id: person,
      street: 'Augustusplatz',
      outbox: [
        outboxEntry(AddressChanged, addressChanged(person, 'move-1'), meta),
        outboxEntry(AddressChanged, addressChanged(person, 'bad'), meta),
        outboxEntry(
          AddressChangeRevoked,
          registration.AddressChangeRevoked.fromPartial({ moveId: 'move-1', personId: person }),
          meta,
        ),
        outboxEntry(AddressChanged, addressChanged(person, 'move-2'), meta),
      ],
    });
    expect(await value('buergerservice_outbox_backlog', outbox)).toBe(4);
    expect(await value('buergerservice_outbox_oldest_pending_age_seconds', outbox)).toBeGreaterThanOrEqual(0);

    const handled: string[] = [];
    consumer = bus.consumer({
      groupId,
      topics: [topic],
      retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 20, jitter: 0 },
      handlers: [
        on(AddressChanged, async (p) => {
          if (p.moveId === 'bad') throw new Error('permanently broken');
          handled.push(p.moveId);
        }),
      ],
    });
    await consumer.start();
    const dlq = await TopicRecorder.start(deadLetterTopic(groupId));
    relay.kick();
    try {
      await dlq.waitFor(() => true);
    } finally {
      await dlq.stop();
    }
    await waitUntil(() => handled.length === 2, { message: 'both good events handled' });
    expect(await value('buergerservice_outbox_backlog', outbox)).toBe(0);

    const consumed = { topic, event_type: AddressChanged.typeName, consumer_group: groupId };
    expect(await value('buergerservice_events_published_total', { topic, event_type: AddressChanged.typeName })).toBe(
      3,
    );
    expect(await value('buergerservice_events_consumed_total', { ...consumed, outcome: 'success' })).toBe(2);
    expect(await value('buergerservice_events_consumed_total', { ...consumed, outcome: 'retry' })).toBe(2);
    expect(await value('buergerservice_events_consumed_total', { ...consumed, outcome: 'dead_lettered' })).toBe(1);
    expect(await value('buergerservice_dead_letters_total', consumed)).toBe(1);
    expect(
      await value('buergerservice_events_skipped_total', {
        topic,
        event_type: AddressChangeRevoked.typeName,
        consumer_group: groupId,
      }),
    ).toBe(1);
    // Committed once handled: the group catches up to the end of both partitions.
    await waitUntil(
      async () => {
        const lag = (await points('buergerservice_consumer_lag')).filter((p) => p.attributes.topic === topic);
        return lag.length === 2 && lag.every((p) => p.value === 0);
      },
      { message: 'consumer lag 0 on both partitions' },
    );
  });
});
