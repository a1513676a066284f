import { type StartedKafka, startKafka, uniqueName, waitUntil } from '@buergerservice/testing';
import { Kafka, logLevel } from 'kafkajs';
import { EventBus, type OutboxEntry, OutboxRelay, outboxEntry, withOutbox } from '../../src/index.js';
import { AnswerProxy } from './answer-proxy.js';
import { AddressChanged, addressChanged, memoryLogger, openTestDatabase, type TestDatabase } from './support.js';

// Between its scans the relay publishes the documents this process reported
// writing. When Kafka is away, it keeps those notices and publishes them once
// Kafka is back, without waiting for the next scan (30 s by default).

describe('the outbox relay while Kafka is away', () => {
  let kafka: StartedKafka;
  let proxy: AnswerProxy;
  let db: TestDatabase;
  let bus: EventBus;
  let relay: OutboxRelay | undefined;
  const { logger, lines } = memoryLogger('warn');

  beforeAll(async () => {
    // A broker of its own: the proxy must own the port the broker advertises.
    kafka = await startKafka({ kafkaProxy: {} });
    const listener = kafka.proxied;
    if (!listener) throw new Error('no proxied listener');
    proxy = await AnswerProxy.start(listener.advertisedPort, listener.listenPort);
    db = await openTestDatabase('relay-outage');
    bus = new EventBus({
      brokers: listener.brokers,
      clientId: uniqueName('relay-outage'),
      source: '/buergerservice/registration',
      // Gives up within seconds, so the outage outlasts the producer's retries.
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 300 },
      connectionTimeoutMs: 1_000,
      kafkaLogLevel: logLevel.NOTHING,
      logger,
    });
  }, 180_000);

  afterAll(async () => {
    await relay?.stop();
    await bus?.disconnect();
    await db?.close();
    await proxy?.stop();
    await kafka?.stop();
  });

  it('keeps the notices of what was written during the outage and publishes them when Kafka is back', async () => {
    const topic = uniqueName('registration-events');
    await bus.ensureTopics([topic], { partitions: 1 });
    const person = uniqueName('person');
    await db.Residences.create({ _id: person, street: 'Augustusplatz' });
    // Scans once at its start, then not for an hour: only the notices can bring the entries to Kafka.
    relay = new OutboxRelay({ bus, models: [db.Residences], pollIntervalMs: 100, scanIntervalMs: 3_600_000, logger });
    relay.start();

    proxy.refuse = true;
    proxy.resetAll();
    const entries: OutboxEntry[] = [];
    for (const move of ['move-1', 'move-2', 'move-3']) {
      const entry = outboxEntry(AddressChanged, addressChanged(person, move), {
        subject: person,
        correlationId: `bundle-${move}`,
        causationId: `request-${move}`,
        topic,
      });
      await db.Residences.updateOne({ _id: person }, withOutbox({ $set: { street: move } }, entry));
      entries.push(entry);
    }
    await waitUntil(() => lines.some((line) => line.msg === 'outbox relay cannot publish; pass ended'), {
      timeoutMs: 30_000,
      message: 'the relay failing to publish',
    });

    proxy.refuse = false;
    const markers = db.connection.collection<{ _id: string }>('outbox_published');
    const ids = entries.map((e) => e.id);
    await waitUntil(async () => (await markers.countDocuments({ _id: { $in: ids } })) === ids.length, {
      timeoutMs: 30_000,
      message: 'all three entries published',
    });

    // On the broker, read directly (not through the proxy): each event once, in the order written.
    const consumer = new Kafka({ brokers: kafka.brokers, logLevel: logLevel.NOTHING }).consumer({
      groupId: uniqueName('check'),
    });
    const seen: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => void seen.push(message.headers?.ce_id?.toString() ?? ''),
      });
      await waitUntil(() => seen.length >= ids.length, { timeoutMs: 30_000, message: 'the events on the topic' });
    } finally {
      await consumer.disconnect();
    }
    expect(seen).toEqual(ids);
  });
});
