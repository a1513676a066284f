import type { Baselines } from './baselines/index.js';
import type { CostComparison, CostPart, PhaseResult } from './results.js';
import { mean, ratio } from './stats.js';

/**
 * The platform's cost of one bundle beside the sum of its parts.
 *
 * Latency: a bundle's critical path is one gRPC call (gateway →
 * registration), the single-document writes before the 202 (idempotency
 * claim, bundle placeholder, the move with its outbox entries, the recorded
 * bundle, the stored idempotent response), then a chain of Kafka hops —
 * registration → document → tracker (2 hops) for a bundle without vehicles,
 * registration → vehicle → document → tracker (3 hops) with vehicles — each
 * ending in one single-document write by its consumer. Summing the baseline
 * p50s of those steps gives what the bundle would take if the platform added
 * nothing but its parts.
 *
 * Capacity: the operations a bundle needs, each divided by the rate its
 * baseline sustained alone on this machine, summed: seconds of machine per
 * bundle if the platform were only its parts; its inverse is the rate those
 * parts would bound.
 */
export interface CostInputs {
  readonly baselines: Baselines;
  /** The platform phase whose counts and latency are compared (the highest sustainable one). */
  readonly phase: PhaseResult;
  /** Share of bundles with at least one vehicle (they have the longer chain). */
  readonly vehicleShare: number;
  /** Single-document writes per bundle when counted from the database server; else the model's estimate. */
  readonly measuredWritesPerBundle: number | undefined;
  /** Writes per bundle by the platform's design when they could not be counted. */
  readonly modelWritesPerBundle: number;
  readonly platformMaxSustainableRate: number | undefined;
}

/** Writes before the 202: idempotency claim, placeholder, move (+outbox), recorded bundle, stored response. */
export const WRITES_BEFORE_ACCEPTED = 5;

export function compareCost(inputs: CostInputs): CostComparison {
  const { baselines, phase } = inputs;
  const completed = phase.completed;
  const perBundle = (count: number): number => (completed > 0 ? count / completed : 0);
  const hops = 2 + inputs.vehicleShare;
  const writes = inputs.measuredWritesPerBundle ?? inputs.modelWritesPerBundle;
  const writeP50 = mean([baselines.mongo.insert.p50, baselines.mongo.update.p50]);
  const writeRate = mean([baselines.mongo.insertThroughput.rate, baselines.mongo.updateThroughput.rate]);
  const parts: CostPart[] = [
    {
      part: 'gRPC unary call',
      perBundle: 1,
      source: 'model',
      onCriticalPath: 1,
      baselineP50Ms: baselines.grpc.sequential.p50,
      baselineRate: baselines.grpc.throughput.rate,
    },
    {
      part: 'MongoDB single-document write',
      perBundle: writes,
      source: inputs.measuredWritesPerBundle !== undefined ? 'measured' : 'model',
      onCriticalPath: WRITES_BEFORE_ACCEPTED + hops,
      baselineP50Ms: writeP50,
      baselineRate: writeRate,
    },
    {
      part: 'Kafka event produced (acks=all)',
      perBundle: perBundle(phase.kafka.eventsProduced),
      source: 'measured',
      // The send is inside the round trip below; on the critical path it is not counted twice.
      onCriticalPath: 0,
      baselineP50Ms: baselines.kafka.send.p50,
      baselineRate: baselines.kafka.throughput.produceRate,
    },
    {
      part: 'Kafka event delivered (produce→consume)',
      perBundle: perBundle(phase.kafka.eventsConsumed),
      source: 'measured',
      onCriticalPath: hops,
      baselineP50Ms: baselines.kafka.roundTrip.p50,
      baselineRate: baselines.kafka.throughput.endToEndRate,
    },
  ];
  let criticalPathSumMs: number | undefined = 0;
  let secondsPerBundle: number | undefined = 0;
  for (const part of parts) {
    if (part.onCriticalPath > 0) {
      criticalPathSumMs =
        part.baselineP50Ms === undefined || criticalPathSumMs === undefined
          ? undefined
          : criticalPathSumMs + part.onCriticalPath * part.baselineP50Ms;
    }
    if (part.perBundle > 0) {
      secondsPerBundle =
        part.baselineRate === undefined || part.baselineRate <= 0 || secondsPerBundle === undefined
          ? undefined
          : secondsPerBundle + part.perBundle / part.baselineRate;
    }
  }
  const partsBoundRate = secondsPerBundle !== undefined && secondsPerBundle > 0 ? 1 / secondsPerBundle : undefined;
  const platformP50 = phase.latency.complete.p50;
  return {
    phase: phase.name,
    parts,
    criticalPathSumMs,
    platformP50CompleteMs: platformP50,
    latencyRatio: ratio(platformP50, criticalPathSumMs),
    partsBoundRate,
    platformMaxSustainableRate: inputs.platformMaxSustainableRate,
    capacityRatio: ratio(partsBoundRate, inputs.platformMaxSustainableRate),
  };
}

/**
 * Single-document writes per bundle by the platform's design, for when the
 * database server cannot count them: 5 before the 202, then per event one
 * write by each consuming authority or the tracker and one outbox mark by
 * the producing relay. `eventsConsumed` already counts every consumer.
 */
export function modelWritesPerBundle(eventsProducedPerBundle: number, eventsConsumedPerBundle: number): number {
  return WRITES_BEFORE_ACCEPTED + eventsProducedPerBundle + eventsConsumedPerBundle;
}
