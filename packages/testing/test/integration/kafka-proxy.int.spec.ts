import { Kafka, logLevel } from 'kafkajs';
import { type StartedKafka, startKafka, uniqueName, waitUntil } from '../../src/index.js';
import { LoopbackProxy } from './loopback-proxy.js';

// Proof of the proxied listener: the broker is published on port B and
// advertises port A, so a proxy on A carries every client's traffic after
// bootstrap — what the reliability drills' Kafka fault proxy relies on.
describe('a Kafka broker behind a loopback proxy (startKafka with kafkaProxy)', () => {
  let kafka: StartedKafka;
  let proxy: LoopbackProxy | undefined;

  const client = (brokers: string[], clientId: string) =>
    new Kafka({
      clientId,
      brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 2_000,
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 500 },
    });

  beforeAll(async () => {
    // A broker of its own: the shared one of the global setup has no proxied listener.
    kafka = await startKafka({ kafkaProxy: {} });
  }, 180_000);

  afterEach(async () => {
    await proxy?.stop();
    proxy = undefined;
  });

  afterAll(async () => {
    await kafka?.stop();
  });

  function proxied() {
    const listener = kafka.proxied;
    if (!listener) throw new Error('startKafka did not report the proxied listener');
    return listener;
  }

  it('advertises the proxy port A on the proxied listener and its own port on the direct one', async () => {
    const { listenPort, advertisedPort, brokers } = proxied();
    expect(new Set([listenPort, advertisedPort, Number(kafka.brokers[0]?.split(':')[1])]).size).toBe(3);
    expect(brokers).toEqual([`127.0.0.1:${advertisedPort}`]);
    proxy = await LoopbackProxy.start(advertisedPort, listenPort);

    const viaProxy = client(brokers, 'proof-proxied').admin();
    await viaProxy.connect();
    const seenThroughProxy = await viaProxy.describeCluster();
    await viaProxy.disconnect();
    expect(seenThroughProxy.brokers.map((b) => b.port)).toEqual([advertisedPort]);

    const direct = client(kafka.brokers, 'proof-direct').admin();
    await direct.connect();
    const seenDirectly = await direct.describeCluster();
    await direct.disconnect();
    expect(seenDirectly.brokers.map((b) => `${b.host}:${b.port}`)).toEqual(kafka.brokers);
  });

  it('carries a producer and a consumer through the proxy on A to the broker on B', async () => {
    const { listenPort, advertisedPort, brokers } = proxied();
    proxy = await LoopbackProxy.start(advertisedPort, listenPort);
    const topic = uniqueName('proof-proxied');
    const k = client(brokers, 'proof-proxied');
    const admin = k.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2, replicationFactor: 1 }] });
    await admin.disconnect();

    const producer = k.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 200 }, (_, n) => ({ key: `k${n % 7}`, value: String(n) })),
    });
    await producer.disconnect();

    const received = new Set<number>();
    const consumer = k.consumer({ groupId: uniqueName('proof-proxied-group') });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.add(Number(message.value?.toString()));
      },
    });
    try {
      await waitUntil(() => received.size === 200, { timeoutMs: 60_000, message: '200 records through the proxy' });
    } finally {
      await consumer.disconnect();
    }
    expect([...received].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, n) => n));
    // Everything went through the proxy: 200 records' worth of bytes both ways.
    expect(proxy.connections).toBeGreaterThanOrEqual(2);
    expect(proxy.bytesToUpstream).toBeGreaterThan(200 * 3);
    expect(proxy.bytesFromUpstream).toBeGreaterThan(200 * 3);
  });

  it('sends a client bootstrapped on B to the proxy: without the proxy it cannot produce', async () => {
    const { listenPort, advertisedPort } = proxied();
    const topic = uniqueName('proof-bootstrap');
    const direct = client(kafka.brokers, 'proof-direct').admin();
    await direct.connect();
    await direct.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
    await direct.disconnect();

    // No proxy on A: bootstrap on B answers, but the broker it names (A) refuses.
    const withoutProxy = client([`127.0.0.1:${listenPort}`], 'proof-no-proxy').producer();
    await expect(
      (async () => {
        await withoutProxy.connect();
        await withoutProxy.send({ topic, acks: -1, messages: [{ value: 'lost' }] });
      })(),
    ).rejects.toThrow();
    await withoutProxy.disconnect().catch(() => undefined);

    proxy = await LoopbackProxy.start(advertisedPort, listenPort);
    const withProxy = client([`127.0.0.1:${listenPort}`], 'proof-with-proxy').producer();
    await withProxy.connect();
    await withProxy.send({ topic, acks: -1, messages: [{ value: 'through the proxy' }] });
    await withProxy.disconnect();
    expect(proxy.connections).toBeGreaterThanOrEqual(1);
    expect(proxy.bytesToUpstream).toBeGreaterThan('through the proxy'.length);
  });
});
