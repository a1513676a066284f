import { Topics } from '@buergerservice/contracts';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { log } from '../log.js';
import type { LagSummary } from '../results.js';

/** The platform's event topics. */
export const PLATFORM_TOPICS: readonly string[] = Object.values(Topics);

/** Offsets of one moment: the topics' end offsets and each group's committed offsets (summed over partitions). */
export interface OffsetSnapshot {
  /** Sum of the end offsets of the platform topics: events ever produced. */
  readonly produced: number;
  /** Sum of the end offsets of the dead-letter topics (`<group>.dlq`): events the consumers gave up on. */
  readonly deadLetters: number;
  /** Per consumer group: committed offsets summed, and lag (end − committed) summed. */
  readonly groups: Readonly<Record<string, { readonly committed: number; readonly lag: number }>>;
}

/** Events produced and consumptions committed between two snapshots (groups seen in both). */
export function offsetDelta(
  before: OffsetSnapshot,
  after: OffsetSnapshot,
): { produced: number; consumed: number; deadLetters: number } {
  let consumed = 0;
  for (const [group, now] of Object.entries(after.groups)) {
    const then = before.groups[group];
    consumed += now.committed - (then?.committed ?? 0);
  }
  return { produced: after.produced - before.produced, consumed, deadLetters: after.deadLetters - before.deadLetters };
}

/** Summarises lag samples of one group. */
export function summarizeLag(samples: readonly number[]): LagSummary {
  if (samples.length === 0) return { max: 0, mean: 0, end: 0, samples: 0 };
  return {
    max: Math.max(...samples),
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    end: samples[samples.length - 1] as number,
    samples: samples.length,
  };
}

/**
 * Consumer lag of the platform's consumer groups and the topics' offsets,
 * from the broker (kafkajs admin): works with telemetry off too, when the
 * services have no metrics endpoint.
 */
export class KafkaMonitor {
  private timer: NodeJS.Timeout | undefined;
  private samples = new Map<string, number[]>();
  private sampling = false;

  private constructor(
    private readonly admin: Admin,
    private readonly excludeGroupPrefix: string,
  ) {}

  static async connect(brokers: readonly string[], excludeGroupPrefix = 'bench-'): Promise<KafkaMonitor> {
    const admin = new Kafka({
      clientId: 'bench-monitor',
      brokers: [...brokers],
      logLevel: logLevel.NOTHING,
      retry: { retries: 5 },
    }).admin();
    await admin.connect();
    return new KafkaMonitor(admin, excludeGroupPrefix);
  }

  /** Creates the platform's topics up front (idempotent), with the partitions the services use. */
  async ensureTopics(partitions: number): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const missing = PLATFORM_TOPICS.filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
    });
  }

  /** The consumer groups that read the platform's topics (not the benchmark's own). */
  private async platformGroups(): Promise<string[]> {
    const { groups } = await this.admin.listGroups();
    return groups.map((g) => g.groupId).filter((id) => !id.startsWith(this.excludeGroupPrefix));
  }

  async snapshot(): Promise<OffsetSnapshot> {
    const ends = new Map<string, Map<number, number>>();
    let produced = 0;
    for (const topic of PLATFORM_TOPICS) {
      const offsets = await this.admin.fetchTopicOffsets(topic);
      const byPartition = new Map<number, number>();
      for (const o of offsets) {
        byPartition.set(o.partition, Number(o.high));
        produced += Number(o.high);
      }
      ends.set(topic, byPartition);
    }
    let deadLetters = 0;
    for (const topic of (await this.admin.listTopics()).filter((t) => t.endsWith('.dlq'))) {
      for (const o of await this.admin.fetchTopicOffsets(topic)) deadLetters += Number(o.high);
    }
    const groups: Record<string, { committed: number; lag: number }> = {};
    for (const groupId of await this.platformGroups()) {
      const topics = await this.admin.fetchOffsets({ groupId, topics: [...PLATFORM_TOPICS] });
      let committed = 0;
      let lag = 0;
      let reads = false;
      for (const topic of topics) {
        const end = ends.get(topic.topic);
        for (const p of topic.partitions) {
          const offset = Number(p.offset);
          // -1: the group has not committed on this partition (or does not read the topic).
          if (offset < 0) continue;
          reads = true;
          committed += offset;
          lag += Math.max(0, (end?.get(p.partition) ?? offset) - offset);
        }
      }
      if (reads) groups[groupId] = { committed, lag };
    }
    return { produced, deadLetters, groups };
  }

  /** Starts sampling lag every `intervalMs` (one sample at a time; a slow broker just samples less). */
  startSampling(intervalMs: number): void {
    this.samples = new Map();
    this.stopSampling();
    this.timer = setInterval(() => {
      if (this.sampling) return;
      this.sampling = true;
      this.snapshot()
        .then((snapshot) => {
          for (const [group, { lag }] of Object.entries(snapshot.groups)) {
            const list = this.samples.get(group);
            if (list) list.push(lag);
            else this.samples.set(group, [lag]);
          }
        })
        .catch((error: unknown) => log(`lag sample failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          this.sampling = false;
        });
    }, intervalMs);
  }

  /** Stops sampling and returns the lag per group since `startSampling`. */
  stopSampling(): Record<string, LagSummary> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const result: Record<string, LagSummary> = {};
    for (const [group, samples] of this.samples) result[group] = summarizeLag(samples);
    return result;
  }

  async disconnect(): Promise<void> {
    this.stopSampling();
    await this.admin.disconnect();
  }
}
