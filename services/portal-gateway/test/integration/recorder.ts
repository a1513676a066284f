import { type IHeaders, Kafka, logLevel } from 'kafkajs';

export interface Recorded {
  topic: string;
  headers: Record<string, string>;
  value: Buffer | null;
}

function strings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}

/** Records every record of some topics on a given broker from the beginning (the e2e tests' own broker). */
export class BrokerRecorder {
  readonly records: Recorded[] = [];
  private constructor(private readonly stopConsumer: () => Promise<void>) {}

  static async start(brokers: readonly string[], topics: readonly string[]): Promise<BrokerRecorder> {
    const consumer = new Kafka({
      clientId: 'e2e-recorder',
      brokers: [...brokers],
      logLevel: logLevel.NOTHING,
    }).consumer({
      groupId: `e2e-recorder-${Math.random().toString(36).slice(2)}`,
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    const recorder = new BrokerRecorder(() => consumer.disconnect());
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        recorder.records.push({ topic, headers: strings(message.headers), value: message.value });
      },
    });
    return recorder;
  }

  /** Distinct events (by `ce_id`) of one type and correlation id. */
  events(type: string, correlationId: string): Recorded[] {
    const seen = new Set<string>();
    return this.records.filter((r) => {
      if (r.headers.ce_type !== type || r.headers.ce_correlationid !== correlationId) return false;
      const id = r.headers.ce_id ?? '';
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }

  async stop(): Promise<void> {
    await this.stopConsumer();
  }
}
