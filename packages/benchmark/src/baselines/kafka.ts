import { randomBytes } from 'node:crypto';
import { type Consumer, Kafka, type Producer, logLevel } from 'kafkajs';
import { logCleanupFailure } from '../log.js';
import { ratePerSecond, type Summary, summarize } from '../stats.js';

/** Raw kafkajs on the platform's broker: what one event costs without the platform around it. */
export interface KafkaBaseline {
  readonly messageBytes: number;
  readonly partitions: number;
  /** Producer settings mirror the platform's publisher: idempotent, acks=all, one request in flight. */
  readonly throughput: {
    readonly messages: number;
    readonly batchSize: number;
    /** Messages/s acknowledged by the broker (producer alone). */
    readonly produceRate: number | undefined;
    /** Messages/s from the first send to the last message consumed. */
    readonly endToEndRate: number | undefined;
    readonly seconds: number;
  };
  /** One message at a time: send (acks=all) until the consumer has it. */
  readonly roundTrip: Summary;
  /** One message at a time: the awaited send alone (acks=all). */
  readonly send: Summary;
}

export interface KafkaBaselineOptions {
  readonly brokers: readonly string[];
  readonly messages: number;
  readonly roundTrips: number;
  readonly messageBytes?: number;
  readonly batchSize?: number;
  readonly partitions?: number;
  /** Upper bound of each part; a broker that stops answering ends the baseline with an error. */
  readonly timeoutMs?: number;
}

/** A payload of about the size of a platform event (protobuf body plus CloudEvents headers). */
function payload(bytes: number): Buffer {
  return randomBytes(bytes);
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Kafka baseline: ${what} did not finish within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** Joins a fresh consumer group on the topic, resolving once partitions are assigned. */
async function joinedConsumer(
  kafka: Kafka,
  groupId: string,
  topic: string,
  onMessage: (value: Buffer, partition: number) => void,
): Promise<Consumer> {
  // kafkajs defaults otherwise, as the platform's consumer uses them.
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  // From the beginning: the topic is fresh, and a group starting at "latest" could resolve its offset after our first send.
  await consumer.subscribe({ topic, fromBeginning: true });
  const joined = deferred<void>();
  consumer.on(consumer.events.GROUP_JOIN, () => joined.resolve());
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    eachMessage: async ({ message, partition }) => {
      if (message.value) onMessage(message.value, partition);
    },
  });
  await withTimeout(joined.promise, 60_000, 'joining the consumer group');
  return consumer;
}

/**
 * Runs the Kafka baseline on a fresh topic and consumer groups (deleted
 * afterwards): produce→consume throughput in batches, then sequential round
 * trips of single messages.
 */
export async function kafkaBaseline(options: KafkaBaselineOptions): Promise<KafkaBaseline> {
  const messageBytes = options.messageBytes ?? 400;
  const batchSize = options.batchSize ?? 100;
  const partitions = options.partitions ?? 3;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const suffix = randomBytes(4).toString('hex');
  const topic = `bench.baseline.${suffix}`;
  const roundTripTopic = `bench.baseline-rtt.${suffix}`;
  const kafka = new Kafka({
    clientId: `bench-baseline-${suffix}`,
    brokers: [...options.brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 8 },
  });
  const admin = kafka.admin();
  await admin.connect();
  const groups = [`bench-throughput-${suffix}`, `bench-roundtrip-${suffix}`];
  let producer: Producer | undefined;
  const consumers: Consumer[] = [];
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [topic, roundTripTopic].map((name) => ({ topic: name, numPartitions: partitions, replicationFactor: 1 })),
    });
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    const body = payload(messageBytes);
    // Warm the producer's connection and metadata so the first measured send is not a cold one.
    await producer.send({ topic, acks: -1, messages: [{ key: 'warm-up', value: body }] });
    await producer.send({ topic: roundTripTopic, acks: -1, messages: [{ key: 'warm-up', value: body }] });

    // --- Throughput: a backlog flushed in batches, consumed by a concurrent group.
    const total = options.messages;
    let received = 0;
    let lastReceived = 0;
    const allReceived = deferred<void>();
    const throughputConsumer = await joinedConsumer(kafka, groups[0] as string, topic, (value) => {
      if (value.length !== messageBytes || value.equals(body) === false) return;
      received += 1;
      if (received >= total + 1) {
        lastReceived = performance.now();
        allReceived.resolve();
      }
    });
    consumers.push(throughputConsumer);
    const started = performance.now();
    for (let sent = 0; sent < total; sent += batchSize) {
      const count = Math.min(batchSize, total - sent);
      const messages = Array.from({ length: count }, (_, i) => ({ key: `P${(sent + i) % 100_000}`, value: body }));
      await withTimeout(producer.send({ topic, acks: -1, messages }), timeoutMs, 'a produce batch');
    }
    const produced = performance.now();
    // +1: the warm-up message is on the topic too (the group reads from the beginning).
    await withTimeout(allReceived.promise, timeoutMs, `consuming ${total} messages`);
    await throughputConsumer.disconnect();
    consumers.length = 0;

    // --- Round trips: one message at a time, each awaited until consumed.
    const waiting = new Map<string, (at: number) => void>();
    const roundTripConsumer = await joinedConsumer(kafka, groups[1] as string, roundTripTopic, (value) => {
      const id = value.subarray(0, 16).toString('hex');
      const done = waiting.get(id);
      if (done) {
        waiting.delete(id);
        done(performance.now());
      }
    });
    consumers.push(roundTripConsumer);
    const roundTrips: number[] = [];
    const sends: number[] = [];
    for (let i = 0; i < options.roundTrips; i++) {
      const value = payload(messageBytes);
      const id = value.subarray(0, 16).toString('hex');
      const arrived = deferred<number>();
      waiting.set(id, arrived.resolve);
      const t0 = performance.now();
      await withTimeout(
        producer.send({ topic: roundTripTopic, acks: -1, messages: [{ key: `P${i}`, value }] }),
        timeoutMs,
        'a single send',
      );
      sends.push(performance.now() - t0);
      const t1 = await withTimeout(arrived.promise, 30_000, 'a round trip');
      roundTrips.push(t1 - t0);
    }
    return {
      messageBytes,
      partitions,
      throughput: {
        messages: total,
        batchSize,
        produceRate: ratePerSecond(total, (produced - started) / 1000),
        endToEndRate: ratePerSecond(total, (lastReceived - started) / 1000),
        seconds: (lastReceived - started) / 1000,
      },
      roundTrip: summarize(roundTrips),
      send: summarize(sends),
    };
  } finally {
    for (const consumer of consumers) await consumer.disconnect().catch(logCleanupFailure('disconnecting a consumer'));
    await producer?.disconnect().catch(logCleanupFailure('disconnecting the producer'));
    // Leave the broker as it was: the platform's figures must not share it with our leftovers.
    await admin
      .deleteTopics({ topics: [topic, roundTripTopic], timeout: 10_000 })
      .catch(logCleanupFailure('deleting the baseline topics'));
    await admin.deleteGroups(groups).catch(logCleanupFailure('deleting the baseline consumer groups'));
    await admin.disconnect();
  }
}
