import { type StartedKafka, startKafka, uniqueName, waitUntil } from '@buergerservice/testing';
import { Kafka, logLevel } from 'kafkajs';
import { type EncodedEvent, EventBus, encodeEvent } from '../../src/index.js';
import { AnswerProxy } from './answer-proxy.js';
import { AddressChanged, addressChanged, memoryLogger } from './support.js';

// A produce request the broker wrote but whose answer never came back (the
// connection was reset, or timed out) must not make the bus lose a later
// event. kafkajs's idempotent producer hands the failed batch's sequence
// numbers back; the next batch for that partition reuses them and the broker
// acknowledges it as a duplicate of the written one — without writing it.

describe('an event bus whose produce answers get lost', () => {
  let kafka: StartedKafka;
  let proxy: AnswerProxy;
  const { logger } = memoryLogger('fatal');

  beforeAll(async () => {
    // A broker of its own: the proxy must own the port the broker advertises.
    kafka = await startKafka({ kafkaProxy: {} });
    const listener = kafka.proxied;
    if (!listener) throw new Error('no proxied listener');
    proxy = await AnswerProxy.start(listener.advertisedPort, listener.listenPort);
  }, 180_000);

  afterAll(async () => {
    await proxy?.stop();
    await kafka?.stop();
  });

  function busThroughProxy(retry: { retries: number; initialRetryTime: number; maxRetryTime: number }): EventBus {
    return new EventBus({
      brokers: kafka.proxied?.brokers ?? [],
      clientId: uniqueName('lost-answer'),
      source: '/buergerservice/registration',
      retry,
      connectionTimeoutMs: 1_000,
      kafkaLogLevel: logLevel.NOTHING,
      logger,
    });
  }

  async function topicWithOnePartition(bus: EventBus): Promise<string> {
    const topic = uniqueName('lost-answer');
    await bus.ensureTopics([topic], { partitions: 1 });
    return topic;
  }

  const person = uniqueName('person');
  function event(topic: string, move: string): EncodedEvent {
    return encodeEvent(AddressChanged, addressChanged(person, move), {
      subject: person,
      correlationId: 'bundle-1',
      causationId: 'request-1',
      topic,
    });
  }

  /** The ce_ids on the topic, read straight from the broker (not through the proxy). */
  async function idsOn(topic: string): Promise<string[]> {
    const client = new Kafka({ clientId: 'lost-answer-reader', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
    const admin = client.admin();
    await admin.connect();
    const [end] = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    const high = Number(end?.high ?? 0);
    const ids: string[] = [];
    const consumer = client.consumer({ groupId: uniqueName('lost-answer-reader') });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let seen = 0;
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen += 1;
        const id = message.headers?.ce_id?.toString();
        if (id) ids.push(id);
      },
    });
    try {
      await waitUntil(() => seen >= high, { timeoutMs: 30_000, message: `${high} records of ${topic}` });
    } finally {
      await consumer.disconnect();
    }
    return ids;
  }

  /** Publishes one event, then one whose answers are all lost until the bus gives up (the broker wrote it). */
  async function afterAnUnansweredSend(bus: EventBus, topic: string): Promise<EncodedEvent[]> {
    const first = event(topic, 'first');
    const unanswered = event(topic, 'unanswered');
    await bus.publishAll([first]);
    proxy.lose = 1_000;
    try {
      await expect(bus.publishAll([unanswered])).rejects.toThrow();
    } finally {
      proxy.lose = 0;
    }
    return [first, unanswered];
  }

  it('writes the next batch of the same size after a send that failed although the broker wrote it', async () => {
    // Without a new producer id the broker takes it for the written batch: acknowledged, not written.
    const bus = busThroughProxy({ retries: 2, initialRetryTime: 100, maxRetryTime: 300 });
    try {
      const topic = await topicWithOnePartition(bus);
      const before = await afterAnUnansweredSend(bus, topic);
      const next = event(topic, 'next');
      await bus.publishAll([next]);
      expect(await idsOn(topic)).toEqual(expect.arrayContaining([...before, next].map((e) => e.id)));
    } finally {
      await bus.disconnect();
    }
  });

  it('writes the next batch of another size after a send that failed although the broker wrote it', async () => {
    // Without a new producer id the broker refuses it, and every retry of it (OUT_OF_ORDER_SEQUENCE_NUMBER).
    const bus = busThroughProxy({ retries: 2, initialRetryTime: 100, maxRetryTime: 300 });
    try {
      const topic = await topicWithOnePartition(bus);
      const before = await afterAnUnansweredSend(bus, topic);
      const next = [event(topic, 'next-1'), event(topic, 'next-2')];
      await bus.publishAll(next);
      expect(await idsOn(topic)).toEqual(expect.arrayContaining([...before, ...next].map((e) => e.id)));
    } finally {
      await bus.disconnect();
    }
  });

  it('publishes a concurrent send made while kafkajs waits to retry an unanswered one', async () => {
    // A long first backoff: the second send comes while the first waits for its retry.
    const bus = busThroughProxy({ retries: 5, initialRetryTime: 2_000, maxRetryTime: 3_000 });
    try {
      const topic = await topicWithOnePartition(bus);
      const [first, unanswered, concurrent] = ['c1', 'c2', 'c3'].map((m) => event(topic, m));
      if (!first || !unanswered || !concurrent) throw new Error('events');
      await bus.publishAll([first]);

      const lostBefore = proxy.lost;
      proxy.lose = 1;
      const retried = bus.publishAll([unanswered]);
      await waitUntil(() => proxy.lost > lostBefore, { timeoutMs: 10_000, message: 'the answer to be lost' });
      await bus.publishAll([concurrent]);
      await retried;

      const ids = await idsOn(topic);
      expect(ids).toEqual(expect.arrayContaining([first.id, unanswered.id, concurrent.id]));
    } finally {
      proxy.lose = 0;
      await bus.disconnect();
    }
  });
});
