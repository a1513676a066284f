import { log } from '../log.js';
import { cpuSecondsOf } from '../process-stats.js';
import type { BaselineSizes } from '../profiles.js';
import { type GrpcBaseline, grpcBaseline } from './grpc.js';
import { type KafkaBaseline, kafkaBaseline } from './kafka.js';
import { type MongoBaseline, mongoBaseline } from './mongo.js';

export type { GrpcBaseline, KafkaBaseline, MongoBaseline };

/** The raw costs of the platform's parts, measured on the same broker and database server as the platform. */
export interface Baselines {
  /** "before" the load (used for the ratios) or "after" it (shows how much the machine drifted). */
  readonly label: 'before' | 'after';
  readonly startedAt: string;
  readonly seconds: number;
  readonly kafka: KafkaBaseline;
  readonly grpc: GrpcBaseline;
  readonly mongo: MongoBaseline;
}

export interface BaselineTargets {
  readonly kafkaBrokers: readonly string[];
  readonly mongoUrl: string;
  /** Environment of the echo server process (PATH, HOME). */
  readonly childEnv: Record<string, string>;
}

/** Runs the three baselines one after the other (never concurrently: each has the machine to itself). */
export async function runBaselines(
  label: Baselines['label'],
  targets: BaselineTargets,
  sizes: BaselineSizes,
): Promise<Baselines> {
  const startedAt = new Date();
  const started = performance.now();
  log(
    `baselines (${label}): Kafka produce→consume ${sizes.kafkaMessages} messages, ${sizes.kafkaRoundTrips} round trips`,
  );
  const kafka = await kafkaBaseline({
    brokers: targets.kafkaBrokers,
    messages: sizes.kafkaMessages,
    roundTrips: sizes.kafkaRoundTrips,
  });
  log(`baselines (${label}): gRPC unary echo, ${sizes.grpcCalls} sequential calls, ${sizes.concurrency} concurrent`);
  const grpc = await grpcBaseline({
    calls: sizes.grpcCalls,
    throughputSeconds: sizes.throughputSeconds,
    concurrency: sizes.concurrency,
    env: targets.childEnv,
    cpuSecondsOf,
  });
  log(
    `baselines (${label}): MongoDB insertOne/updateOne, ${sizes.mongoOps} sequential each, ${sizes.concurrency} concurrent`,
  );
  const mongo = await mongoBaseline({
    mongoUrl: targets.mongoUrl,
    ops: sizes.mongoOps,
    throughputSeconds: sizes.throughputSeconds,
    concurrency: sizes.concurrency,
  });
  return {
    label,
    startedAt: startedAt.toISOString(),
    seconds: (performance.now() - started) / 1000,
    kafka,
    grpc,
    mongo,
  };
}
