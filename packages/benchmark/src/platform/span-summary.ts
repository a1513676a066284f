/**
 * Where the time goes, from the spans the services exported: per service and
 * span name, how many and how long. Memory stays bounded: each name keeps a
 * uniform random sample (reservoir) of at most `reservoir` durations.
 */
export interface SpanStat {
  readonly service: string;
  readonly name: string;
  readonly count: number;
  /** Sum of the durations, ms (spans nest: a parent's time includes its children's). */
  readonly totalMs: number;
  readonly p50Ms: number | undefined;
  readonly p99Ms: number | undefined;
  readonly maxMs: number;
}

interface Entry {
  service: string;
  name: string;
  count: number;
  totalMs: number;
  maxMs: number;
  sample: number[];
}

export class SpanDurations {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly reservoir = 2_000,
    private readonly random: () => number = Math.random,
    /** Distinct names at most, so a span name carrying ids cannot grow the map without bound. */
    private readonly maxNames = 500,
  ) {}

  add(service: string, name: string, durationMs: number): void {
    if (!Number.isFinite(durationMs) || durationMs < 0) return;
    const key = `${service}\u0000${name}`;
    let entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= this.maxNames) return;
      entry = { service, name, count: 0, totalMs: 0, maxMs: 0, sample: [] };
      this.entries.set(key, entry);
    }
    entry.count += 1;
    entry.totalMs += durationMs;
    entry.maxMs = Math.max(entry.maxMs, durationMs);
    if (entry.sample.length < this.reservoir) entry.sample.push(durationMs);
    else {
      const slot = Math.floor(this.random() * entry.count);
      if (slot < this.reservoir) entry.sample[slot] = durationMs;
    }
  }

  /** The `limit` names with the most total time, most first. */
  top(limit: number): SpanStat[] {
    const pick = (sorted: number[], p: number) =>
      sorted.length === 0
        ? undefined
        : sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
    return [...this.entries.values()]
      .sort((a, b) => b.totalMs - a.totalMs)
      .slice(0, limit)
      .map((e) => {
        const sorted = [...e.sample].sort((a, b) => a - b);
        return {
          service: e.service,
          name: e.name,
          count: e.count,
          totalMs: e.totalMs,
          p50Ms: pick(sorted, 50),
          p99Ms: pick(sorted, 99),
          maxMs: e.maxMs,
        };
      });
  }
}
