import { type IHeaders, Kafka, type KafkaMessage, logLevel } from 'kafkajs';
import { kafkaBrokers } from './infra.js';
import { waitUntil } from './wait.js';

/** A kafkajs client for the shared test broker. */
export function testKafka(clientId = 'test'): Kafka {
  return new Kafka({ clientId, brokers: kafkaBrokers(), logLevel: logLevel.NOTHING, retry: { retries: 8 } });
}

/** Creates topics (and waits for their leaders) on the shared test broker. */
export async function createTopics(topics: readonly string[], options: { partitions?: number } = {}): Promise<void> {
  const admin = testKafka('test-admin').admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({ topic, numPartitions: options.partitions ?? 3, replicationFactor: 1 })),
    });
  } finally {
    await admin.disconnect();
  }
}

export interface RecordedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  /** Header values decoded as UTF-8 strings (the CloudEvents binding uses strings). */
  headers: Record<string, string>;
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}

/**
 * Records every message on some topics from the beginning, so tests can
 * assert on what was published (and how often).
 */
export class TopicRecorder {
  readonly messages: RecordedMessage[] = [];

  private constructor(private readonly stopConsumer: () => Promise<void>) {}

  static async start(topics: string | readonly string[]): Promise<TopicRecorder> {
    const list = typeof topics === 'string' ? [topics] : [...topics];
    const consumer = testKafka('test-recorder').consumer({
      groupId: `recorder-${Math.random().toString(36).slice(2)}`,
      allowAutoTopicCreation: true,
    });
    await consumer.connect();
    await consumer.subscribe({ topics: list, fromBeginning: true });
    let recorder: TopicRecorder | undefined;
    const buffered: RecordedMessage[] = [];
    const record = (topic: string, partition: number, message: KafkaMessage) => {
      const entry: RecordedMessage = {
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        value: message.value,
        headers: decodeHeaders(message.headers),
      };
      (recorder?.messages ?? buffered).push(entry);
    };
    const joined = new Promise<void>((resolve) => {
      consumer.on(consumer.events.GROUP_JOIN, () => resolve());
    });
    await consumer.run({ eachMessage: async ({ topic, partition, message }) => record(topic, partition, message) });
    await joined;
    recorder = new TopicRecorder(() => consumer.disconnect());
    recorder.messages.push(...buffered);
    return recorder;
  }

  /** Messages whose `ce_type` header is the given fully-qualified event type. */
  ofType(typeName: string): RecordedMessage[] {
    return this.messages.filter((m) => m.headers.ce_type === typeName);
  }

  /** Waits until at least `count` messages match. */
  async waitFor(
    predicate: (message: RecordedMessage) => boolean,
    options: { count?: number; timeoutMs?: number } = {},
  ): Promise<RecordedMessage[]> {
    const count = options.count ?? 1;
    return waitUntil(
      () => {
        const matching = this.messages.filter(predicate);
        return matching.length >= count ? matching : undefined;
      },
      { timeoutMs: options.timeoutMs ?? 30_000, message: `${count} matching message(s)` },
    );
  }

  async stop(): Promise<void> {
    await this.stopConsumer();
  }
}
