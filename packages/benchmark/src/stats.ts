/**
 * Latency and rate arithmetic for the benchmark. Pure functions; every
 * latency is in milliseconds, every rate per second.
 */

/** The distribution of one latency (or any non-negative quantity). Undefined fields mean "no samples". */
export interface Summary {
  readonly count: number;
  readonly min: number | undefined;
  readonly mean: number | undefined;
  readonly p50: number | undefined;
  readonly p90: number | undefined;
  readonly p95: number | undefined;
  readonly p99: number | undefined;
  readonly max: number | undefined;
}

export const EMPTY_SUMMARY: Summary = {
  count: 0,
  min: undefined,
  mean: undefined,
  p50: undefined,
  p90: undefined,
  p95: undefined,
  p99: undefined,
  max: undefined,
};

/**
 * The p-th percentile (0 < p <= 100) of ascending-sorted values by the
 * nearest-rank method: the smallest value such that at least p % of the
 * samples are at or below it. Nearest rank, not interpolation, because a
 * reported p99 should be a latency some request really had.
 */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Summarises samples; non-finite values (NaN, Infinity) are a caller bug and are refused. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return EMPTY_SUMMARY;
  for (const value of values) {
    if (!Number.isFinite(value)) throw new RangeError(`cannot summarise a non-finite sample: ${value}`);
  }
  const sorted = [...values].sort((a, b) => a - b);
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    min: sorted[0],
    mean: sum / sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

/** Events per second; undefined when no time passed. */
export function ratePerSecond(count: number, seconds: number): number | undefined {
  if (!(seconds > 0)) return undefined;
  return count / seconds;
}

/** a / b, undefined when either is unknown or b is zero. */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || b === 0) return undefined;
  return a / b;
}

/** Mean of the defined values; undefined when there are none. */
export function mean(values: readonly (number | undefined)[]): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (defined.length === 0) return undefined;
  return defined.reduce((a, b) => a + b, 0) / defined.length;
}

/** Sum of the defined values (0 when none). */
export function sum(values: readonly (number | undefined)[]): number {
  let total = 0;
  for (const value of values) if (value !== undefined && Number.isFinite(value)) total += value;
  return total;
}

/**
 * Arrival offsets (ms from the start) of an open-model load at `rate` per
 * second for `seconds`: Poisson arrivals (exponential gaps) or evenly
 * spaced. Scheduled up front, independently of how fast the system answers,
 * so a slow platform cannot slow the offered load down (no coordinated
 * omission). Bounded: never more than `maxCount` arrivals.
 */
export function arrivalOffsets(options: {
  rate: number;
  seconds: number;
  poisson: boolean;
  random: () => number;
  maxCount: number;
}): number[] {
  const { rate, seconds, poisson, random, maxCount } = options;
  if (!(rate > 0) || !(seconds > 0) || maxCount <= 0) return [];
  const horizonMs = seconds * 1000;
  const meanGapMs = 1000 / rate;
  const offsets: number[] = [];
  let t = poisson ? 0 : meanGapMs / 2;
  while (offsets.length < maxCount) {
    if (poisson) {
      // 1 - random() is in (0, 1]: log never sees 0.
      t += -Math.log(1 - random()) * meanGapMs;
    }
    if (t >= horizonMs) break;
    offsets.push(t);
    if (!poisson) t += meanGapMs;
  }
  return offsets;
}
