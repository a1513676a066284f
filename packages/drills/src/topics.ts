import { type RecordedMessage, TopicRecorder, testKafka, waitUntil } from '@buergerservice/testing';

/** End offsets of every partition of the topics ("topic:partition" -> [low, high)). */
async function offsets(topics: readonly string[]): Promise<Map<string, { low: number; high: number }>> {
  const admin = testKafka('drills-admin').admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const result = new Map<string, { low: number; high: number }>();
    for (const topic of topics.filter((t) => existing.has(t))) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        result.set(`${topic}:${p.partition}`, { low: Number(p.low), high: Number(p.high) });
      }
    }
    return result;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Everything the topics hold right now, read from the beginning by a fresh
 * consumer — after the drill, so a recorder that lived through a broker
 * kill cannot make the checker see fewer events than were written.
 */
export async function readTopics(topics: readonly string[], timeoutMs = 120_000): Promise<RecordedMessage[]> {
  const ends = await offsets(topics);
  const present = [...new Set([...ends.keys()].map((k) => k.slice(0, k.lastIndexOf(':'))))];
  if (present.length === 0) return [];
  const recorder = await TopicRecorder.start(present);
  try {
    await waitUntil(
      () =>
        [...ends.entries()].every(([key, { low, high }]) => {
          if (high <= low) return true;
          const [topic, partition] = [key.slice(0, key.lastIndexOf(':')), Number(key.slice(key.lastIndexOf(':') + 1))];
          return recorder.messages.some(
            (m) => m.topic === topic && m.partition === partition && Number(m.offset) >= high - 1,
          );
        }),
      { timeoutMs, message: 'the recorder to read every topic to its end' },
    );
    return [...recorder.messages];
  } finally {
    await recorder.stop();
  }
}

/** Waits until the broker answers metadata requests again (after a kill and start). */
export async function waitForBroker(timeoutMs = 120_000): Promise<void> {
  await waitUntil(
    async () => {
      const admin = testKafka('drills-probe').admin();
      try {
        await admin.connect();
        await admin.describeCluster();
        return true;
      } catch {
        return false;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    },
    { timeoutMs, intervalMs: 1_000, message: 'Kafka to answer again' },
  );
}
