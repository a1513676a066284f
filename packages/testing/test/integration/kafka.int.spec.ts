import type { Kafka } from 'kafkajs';
import { createTopics, restartContainer, TopicRecorder, testKafka, uniqueName, waitUntil } from '../../src/index.js';

// Proof that the harness gives tests a real Kafka broker: keyed ordering,
// and no acknowledged message lost across a broker restart.
describe('real Kafka through the harness', () => {
  let kafka: Kafka;
  beforeAll(() => {
    kafka = testKafka('proof');
  });

  it('keeps 1,000 keyed messages in order per key', async () => {
    const topic = uniqueName('proof-order');
    await createTopics([topic], { partitions: 3 });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const keys = Array.from({ length: 10 }, (_, i) => `person-${i}`);
    for (let batch = 0; batch < 10; batch++) {
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: 100 }, (_, i) => {
          const n = batch * 100 + i;
          return { key: keys[n % keys.length] as string, value: String(n) };
        }),
      });
    }
    await producer.disconnect();

    const recorder = await TopicRecorder.start(topic);
    await recorder.waitFor(() => true, { count: 1000, timeoutMs: 60_000 });
    await recorder.stop();

    expect(recorder.messages).toHaveLength(1000);
    for (const key of keys) {
      const values = recorder.messages.filter((m) => m.key === key).map((m) => Number(m.value?.toString()));
      expect(values).toHaveLength(100);
      expect(values).toEqual([...values].sort((a, b) => a - b));
    }
  });

  it('keeps every acknowledged message across a broker restart in the middle of a produce loop', async () => {
    const topic = uniqueName('proof-restart');
    await createTopics([topic], { partitions: 1 });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 30 } });
    await producer.connect();
    const acknowledged: number[] = [];
    let restarted = false;
    for (let n = 0; n < 200; n++) {
      if (n === 100) {
        await restartContainer('kafka');
        restarted = true;
      }
      try {
        await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: String(n) }] });
        acknowledged.push(n);
      } catch {
        // Not acknowledged: the producer gave up while the broker was down.
        // Only acknowledged messages are promised to be kept.
      }
    }
    await producer.disconnect();
    expect(restarted).toBe(true);
    expect(acknowledged.length).toBeGreaterThan(100);

    const recorder = await waitUntil(() => TopicRecorder.start(topic), { timeoutMs: 60_000 });
    await recorder.waitFor(() => true, { count: acknowledged.length, timeoutMs: 60_000 });
    await recorder.stop();
    const received = new Set(recorder.messages.map((m) => Number(m.value?.toString())));
    for (const n of acknowledged) expect(received.has(n)).toBe(true);
  });
});
