import type { BenchConfig, ProfileName, TelemetryMode } from './config.js';

/** Sizes of the raw baselines. */
export interface BaselineSizes {
  /** Kafka: messages of the produce→consume throughput run. */
  readonly kafkaMessages: number;
  /** Kafka: sequential single-message round trips. */
  readonly kafkaRoundTrips: number;
  /** gRPC: sequential unary calls. */
  readonly grpcCalls: number;
  /** MongoDB: sequential inserts, then as many sequential updates. */
  readonly mongoOps: number;
  /** Seconds of each concurrent throughput run (gRPC, MongoDB insert, MongoDB update). */
  readonly throughputSeconds: number;
  /** Concurrent callers of the throughput runs. */
  readonly concurrency: number;
}

/** Everything that sizes one benchmark run. */
export interface Profile {
  readonly name: ProfileName;
  readonly persons: number;
  readonly vehicles: number;
  readonly baselines: BaselineSizes;
  /** Run the baselines again after the load, to show how much the machine drifted. */
  readonly baselinesAfter: boolean;
  readonly telemetryModes: readonly TelemetryMode[];
  /** Warm-up before the measured phases of each mode (JIT, connection pools, caches); not reported as a load point. */
  readonly warmup: { readonly rate: number; readonly seconds: number };
  /** Offered rates of the sweep (bundles/s), ascending; the step-up search continues above the last. */
  readonly rates: readonly number[];
  readonly phaseSeconds: number;
  /** The step-up search: each further rate is the previous one times `factor`, up to `maxRate`. */
  readonly stepFactor: number;
  readonly maxRate: number;
  /** Bisection steps between the last sustainable and the first unsustainable rate. */
  readonly refinements: number;
  /** After the arrivals of a phase end: how long to wait for its bundles to complete. */
  readonly drainSeconds: number;
  /**
   * After a mode's load: how long the final check may wait for accepted bundles still incomplete. A
   * bundle counts as lost when the platform went quiet (no consumer lag, nothing completing) for
   * `quietSeconds`, or made no progress at all for `stallSeconds`; one still progressing when the
   * time is up is reported as unfinished (slow), not lost.
   */
  readonly finalGraceSeconds: number;
  readonly quietSeconds: number;
  readonly stallSeconds: number;
  /** Before each phase: how long to wait for the consumers to catch up with the previous one. */
  readonly settleSeconds: number;
  /** Interval of the status polls of each bundle. */
  readonly pollMs: number;
  /** A bundle not complete after this long is given up in its phase (still checked at the end). */
  readonly completeTimeoutSeconds: number;
  /** Open submissions at most (client sockets); arrivals beyond it are counted as dropped, not delayed. */
  readonly maxInFlight: number;
  /** Upper bound of seeding (per service). */
  readonly seedTimeoutSeconds: number;
  /**
   * A rate is sustainable when (nearly) every arrival was accepted and completed within the drain time,
   * completions kept pace with arrivals and p99 submit→complete stays under this bound.
   */
  readonly sustainableP99Ms: number;
  /** The target: p99 submit→complete below this. */
  readonly targetP99Ms: number;
}

const FULL: Profile = {
  name: 'full',
  persons: 100_000,
  vehicles: 60_000,
  baselines: {
    kafkaMessages: 50_000,
    kafkaRoundTrips: 1_000,
    grpcCalls: 5_000,
    mongoOps: 2_000,
    throughputSeconds: 5,
    concurrency: 32,
  },
  baselinesAfter: true,
  telemetryModes: ['off', 'on'],
  warmup: { rate: 10, seconds: 15 },
  rates: [10, 25, 50, 75, 100],
  phaseSeconds: 20,
  stepFactor: 1.25,
  maxRate: 400,
  refinements: 1,
  drainSeconds: 20,
  finalGraceSeconds: 900,
  quietSeconds: 15,
  stallSeconds: 120,
  settleSeconds: 120,
  pollMs: 500,
  completeTimeoutSeconds: 60,
  maxInFlight: 2_000,
  seedTimeoutSeconds: 7_200,
  sustainableP99Ms: 5_000,
  targetP99Ms: 1_000,
};

/** Small and short, for CI inside `npm test`: shows the figures, asserts nothing about speed. */
const CI: Profile = {
  name: 'ci',
  persons: 2_000,
  vehicles: 1_200,
  baselines: {
    kafkaMessages: 5_000,
    kafkaRoundTrips: 200,
    grpcCalls: 1_000,
    mongoOps: 300,
    throughputSeconds: 2,
    concurrency: 16,
  },
  baselinesAfter: false,
  telemetryModes: ['off', 'on'],
  warmup: { rate: 2, seconds: 5 },
  rates: [2, 5],
  phaseSeconds: 8,
  stepFactor: 1.6,
  // About 800 households move at most once each: two modes of 2, 5, 8 and 13 bundles/s for 8 s fit.
  maxRate: 20,
  refinements: 0,
  drainSeconds: 10,
  finalGraceSeconds: 240,
  quietSeconds: 15,
  stallSeconds: 90,
  settleSeconds: 30,
  pollMs: 250,
  completeTimeoutSeconds: 30,
  maxInFlight: 500,
  seedTimeoutSeconds: 600,
  sustainableP99Ms: 5_000,
  targetP99Ms: 1_000,
};

export const PROFILES_BY_NAME: Readonly<Record<ProfileName, Profile>> = { full: FULL, ci: CI };

/** The profile named in the configuration with the configuration's overrides applied. */
export function resolveProfile(config: Pick<BenchConfig, 'profile' | 'overrides'>): Profile {
  const base = PROFILES_BY_NAME[config.profile];
  const o = config.overrides;
  const rates = o.rates ? [...o.rates].sort((a, b) => a - b) : base.rates;
  return {
    ...base,
    persons: o.persons ?? base.persons,
    vehicles: o.vehicles ?? base.vehicles,
    rates,
    // The warm-up never offers more than the lowest rate: a backlog left by it would count against the first phase.
    warmup: { ...base.warmup, rate: Math.min(base.warmup.rate, rates[0] ?? base.warmup.rate) },
    phaseSeconds: o.phaseSeconds ?? base.phaseSeconds,
    maxRate: Math.max(o.maxRate ?? base.maxRate, rates[rates.length - 1] ?? 0),
    telemetryModes: o.telemetryModes ?? base.telemetryModes,
    pollMs: o.pollMs ?? base.pollMs,
  };
}

/**
 * The offered rates after `last` that the step-up search tries, in order:
 * geometric steps up to the profile's maximum (bounded count).
 */
export function stepRates(last: number, factor: number, maxRate: number): number[] {
  if (!(factor > 1) || !(last > 0)) return [];
  const rates: number[] = [];
  let rate = last;
  while (rates.length < 100) {
    rate = roundRate(rate * factor);
    if (rate > maxRate) break;
    rates.push(rate);
  }
  return rates;
}

/** Rates shown with at most one decimal; whole numbers from 10 up. */
export function roundRate(rate: number): number {
  return rate >= 10 ? Math.round(rate) : Math.round(rate * 10) / 10;
}
