import { maxRateWithinTarget, maxSustainableRate } from '../analysis.js';
import type { TelemetryMode } from '../config.js';
import { log } from '../log.js';
import type { KafkaMonitor } from '../platform/kafka-monitor.js';
import { roundRate, stepRates } from '../profiles.js';
import type { PhaseResult } from '../results.js';
import { type LoadContext, type PhasePlan, runPhase } from './phase.js';

/**
 * The offered rates of one telemetry mode: the sweep's fixed rates, then
 * geometric steps above them, stopping at the first rate the platform does
 * not sustain; then bisection between the last sustainable and that one.
 * Every step is itself a fixed-rate open-model phase, so all of them are
 * points on the latency-vs-load chart.
 */
export interface SearchPlan {
  readonly sweep: readonly number[];
  readonly steps: readonly number[];
  readonly refinements: number;
}

export function searchPlan(profile: LoadContext['profile']): SearchPlan {
  const last = profile.rates[profile.rates.length - 1] ?? profile.warmup.rate;
  return {
    sweep: profile.rates,
    steps: stepRates(last, profile.stepFactor, profile.maxRate),
    refinements: profile.refinements,
  };
}

/** The next rate to try between a sustainable and an unsustainable one; undefined when they are adjacent. */
export function bisect(good: number, bad: number): number | undefined {
  const mid = roundRate((good + bad) / 2);
  return mid > good && mid < bad ? mid : undefined;
}

/** A seed per offered rate, the same in both modes, so both get the same arrival times. */
export function arrivalSeed(baseSeed: number, rate: number, kind: string): number {
  let hash = baseSeed >>> 0;
  for (const ch of `${kind}:${rate}`) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619) >>> 0;
  return hash;
}

/** Waits until the platform's consumers caught up (no lag), bounded; phases must not overlap. */
export async function settle(kafka: Pick<KafkaMonitor, 'snapshot'>, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let lag = 0;
  do {
    const snapshot = await kafka.snapshot();
    lag = Object.values(snapshot.groups).reduce((a, g) => a + g.lag, 0);
    if (lag === 0) return 0;
    await new Promise((resolve) => setTimeout(resolve, 500));
  } while (performance.now() < deadline);
  log(`consumers still ${lag} events behind after ${timeoutMs} ms; starting the next phase anyway`);
  return lag;
}

export interface ModeRun {
  readonly phases: PhaseResult[];
  readonly maxSustainableRate: number | undefined;
  readonly maxRateWithinTarget: number | undefined;
}

export async function runSearch(mode: TelemetryMode, ctx: LoadContext, seed: number): Promise<ModeRun> {
  const { profile } = ctx;
  const phases: PhaseResult[] = [];
  const run = async (kind: PhasePlan['kind'], rate: number, seconds: number) => {
    await settle(ctx.kafka, profile.settleSeconds * 1000);
    const phase = await runPhase(
      { name: `${mode}-${kind}-${rate}`, kind, mode, rate, seconds, arrivalSeed: arrivalSeed(seed, rate, kind) },
      ctx,
    );
    phases.push(phase);
    return phase;
  };

  await run('warmup', profile.warmup.rate, profile.warmup.seconds);
  const plan = searchPlan(profile);
  let good: number | undefined;
  let bad: number | undefined;
  for (const [i, rate] of [...plan.sweep, ...plan.steps].entries()) {
    const phase = await run(i < plan.sweep.length ? 'sweep' : 'step', rate, profile.phaseSeconds);
    if (phase.droppedNoHousehold > 0) {
      log('the seeded population is used up: no further rates in this mode');
      break;
    }
    if (!phase.sustainable) {
      bad = rate;
      break;
    }
    good = rate;
  }
  for (let i = 0; i < plan.refinements && good !== undefined && bad !== undefined; i++) {
    const mid = bisect(good, bad);
    if (mid === undefined || ctx.pool.remaining < mid * profile.phaseSeconds) break;
    const phase = await run('refine', mid, profile.phaseSeconds);
    if (phase.sustainable) good = mid;
    else bad = mid;
  }
  return {
    phases,
    maxSustainableRate: maxSustainableRate(phases),
    maxRateWithinTarget: maxRateWithinTarget(phases, profile.targetP99Ms),
  };
}
