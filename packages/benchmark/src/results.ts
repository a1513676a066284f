import os from 'node:os';
import type { Baselines } from './baselines/index.js';
import type { SpanStat } from './platform/span-summary.js';
import type { TelemetryMode } from './config.js';
import type { UsageWindow } from './process-stats.js';
import type { Profile } from './profiles.js';
import type { Summary } from './stats.js';

/** The whole outcome of one benchmark run: what results.json holds and results.md shows. */
export interface BenchResult {
  readonly schema: 'buergerservice-benchmark/1';
  readonly machine: MachineInfo;
  readonly profile: Profile;
  readonly baselines: readonly Baselines[];
  readonly platform: PlatformResult | { readonly skipped: string };
  readonly verdict: Verdict;
  /** Facts a reader needs to judge the figures (e.g. a service run from another build folder). */
  readonly notes: readonly string[];
}

/** Exit status of the run: only a platform failure (lost bundles) fails it, never a slow figure. */
export interface Verdict {
  readonly ok: boolean;
  readonly problems: readonly string[];
  /** Worth knowing, not a failure (e.g. bundles still progressing when the run's time was up). */
  readonly warnings: readonly string[];
  /** Where the run stands against the targets (reported, never asserted). */
  readonly targets: readonly TargetStatus[];
}

export interface TargetStatus {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

export interface MachineInfo {
  readonly hostname: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryBytes: number;
  readonly kernel: string;
  readonly node: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** 1/5/15-minute load averages when the run began and ended. */
  readonly loadAverageStart: readonly number[];
  readonly loadAverageEnd: readonly number[];
  readonly images: { readonly kafka: string; readonly database: string };
  readonly infraStartSeconds: number;
}

export function machineInfo(
  startedAt: Date,
  loadAverageStart: readonly number[],
  images: MachineInfo['images'],
  infraStartSeconds: number,
): MachineInfo {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryBytes: os.totalmem(),
    kernel: os.release(),
    node: process.version,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    loadAverageStart,
    loadAverageEnd: os.loadavg(),
    images,
    infraStartSeconds,
  };
}

export type PhaseKind = 'warmup' | 'sweep' | 'step' | 'refine';

/** One open-model load phase at a fixed offered rate. */
export interface PhaseResult {
  readonly name: string;
  readonly kind: PhaseKind;
  readonly mode: TelemetryMode;
  /** Offered rate (bundles/s). */
  readonly offeredRate: number;
  readonly seconds: number;
  /** Arrivals scheduled / actually sent (a generator saturated by its own work sends late, see scheduleLateness). */
  readonly scheduled: number;
  readonly sent: number;
  /** Arrivals not sent because `maxInFlight` submissions were still open: the platform did not keep up. */
  readonly droppedByClient: number;
  /** Arrivals not sent because the seeded population had no unused household left. */
  readonly droppedNoHousehold: number;
  readonly accepted: number;
  /** Refusals by HTTP status, and transport errors (timeouts, resets). */
  readonly refused: Readonly<Record<string, number>>;
  /** A few refusal details (problem titles and fields), for diagnosis. */
  readonly refusalSamples: readonly string[];
  /** Accepted bundles the tracker reported complete within the phase (arrivals + drain). */
  readonly completed: number;
  /** Accepted bundles not complete when the phase ended (checked again at the end of the run). */
  readonly incomplete: number;
  /** Completed bundles per second: completions over the time from the first arrival to the last completion. */
  readonly completedPerSecond: number | undefined;
  /** How late arrivals were sent against their schedule (the generator's own health). */
  readonly scheduleLateness: Summary;
  readonly latency: {
    /** Scheduled send → 202 Accepted. */
    readonly accepted: Summary;
    /**
     * Scheduled send → the client sees the bundle complete (every authority's step final) in the tracker's
     * live stream, which pushes each change as the tracker applies it (in poll mode: quantised by the interval).
     */
    readonly complete: Summary;
    /** Scheduled send → the time of the last authority's fact (the bundle's completedAt), before the tracker saw it. */
    readonly lastFact: Summary;
  };
  /** Scheduled send → the last step of each authority done (its doneAt), per authority. */
  readonly authorities: Readonly<Record<string, Summary>>;
  /** Final states of the steps of completed bundles (done, rejected, not-requested, …). */
  readonly stepStates: Readonly<Record<string, number>>;
  /** Bundles still incomplete at the end of the phase: their pending steps by authority/kind (what they wait for). */
  readonly pendingSteps: Readonly<Record<string, number>>;
  /** How completion was watched: the live stream (SSE) or status polls; polls sent per completed bundle. */
  readonly watch: 'sse' | 'poll';
  readonly pollsPerBundle: number | undefined;
  readonly usage: UsageWindow;
  /** CPU seconds of all service processes per completed bundle, in ms. */
  readonly serviceCpuMsPerBundle: number | undefined;
  /** CPU of Kafka + database per completed bundle, in ms. */
  readonly infraCpuMsPerBundle: number | undefined;
  /** Consumer lag (messages not yet processed) per consumer group, sampled through the phase. */
  readonly lag: Readonly<Record<string, LagSummary>>;
  /** Events produced to the platform topics, consumptions committed by the platform's groups, dead letters, in the phase. */
  readonly kafka: { readonly eventsProduced: number; readonly eventsConsumed: number; readonly deadLetters: number };
  /** Commands the database server counted in the phase (all services), when it reports them. */
  readonly database: DatabaseCounts | undefined;
  /** Spans the services exported to the OTLP receiver in the phase (telemetry on). */
  readonly spansExported: number | undefined;
  readonly sustainable: boolean;
  /** Why the rate is not sustainable (empty when it is). */
  readonly unsustainableBecause: readonly string[];
}

export interface DatabaseCounts {
  /** insert + update + findAndModify + delete commands. */
  readonly writes: number;
  /** find + aggregate + count + distinct commands. */
  readonly reads: number;
  /** Per command name. */
  readonly byCommand: Readonly<Record<string, number>>;
}

export interface LagSummary {
  readonly max: number;
  readonly mean: number;
  readonly end: number;
  readonly samples: number;
}

/** All phases of one telemetry mode (services restarted with that mode). */
export interface ModeResult {
  readonly mode: TelemetryMode;
  /** Seconds until all five services were ready. */
  readonly startSeconds: number;
  readonly phases: readonly PhaseResult[];
  /** Highest offered rate that was sustainable (see Profile.sustainableP99Ms). */
  readonly maxSustainableRate: number | undefined;
  /** Highest sustainable offered rate whose p99 submit→complete met the target. */
  readonly maxRateWithinTarget: number | undefined;
  /** Lifetime peak RSS (VmHWM) of each service at the end of the mode, bytes. */
  readonly peakRssBytes: Readonly<Record<string, number>>;
  /** Bundles that completed only in the final check, after their phase: scheduled send → completedAt. */
  readonly lateCompletion: Summary;
  /** Telemetry on: the span names with the most total time over the whole mode (where the time goes). */
  readonly spans: readonly SpanStat[] | undefined;
}

export interface SeedResult {
  readonly persons: number;
  readonly vehicles: number;
  readonly households: number;
  /** Seconds per service seed command (services without one are missing). */
  readonly seconds: Readonly<Record<string, number>>;
}

/** The bundle mix as it was offered over the whole run. */
export interface OfferedMix {
  readonly bundles: number;
  /** Persons moving (applicants and household members). */
  readonly persons: number;
  readonly vehicles: number;
  readonly withVehicles: number;
  readonly withAppointment: number;
  /** Households of 1, 2, 3, 4 persons. */
  readonly householdSizes: Readonly<Record<string, number>>;
}

export interface PlatformResult {
  readonly seed: SeedResult;
  readonly mix: OfferedMix;
  readonly modes: readonly ModeResult[];
  /**
   * Accepted bundles never seen complete although the platform had gone quiet (no consumer lag, no
   * progress) or stalled; `unfinished`: still progressing when the final check's time was up (slow, not lost).
   */
  readonly lost: { readonly count: number; readonly sample: readonly string[]; readonly unfinished: number };
  readonly bundles: { readonly submitted: number; readonly accepted: number; readonly completed: number };
  /** Telemetry on vs off, where both modes ran. */
  readonly tracingOverhead: TracingOverhead | undefined;
  readonly costModel: CostComparison | undefined;
}

export interface TracingOverhead {
  readonly maxSustainableOff: number | undefined;
  readonly maxSustainableOn: number | undefined;
  /** 1 - on/off of the maximum sustainable rate. */
  readonly throughputCost: number | undefined;
  /** Per offered rate run in both modes: service CPU per bundle and p99 submit→complete. */
  readonly perRate: readonly {
    readonly rate: number;
    readonly cpuMsPerBundleOff: number | undefined;
    readonly cpuMsPerBundleOn: number | undefined;
    readonly cpuCost: number | undefined;
    readonly p50CompleteOff: number | undefined;
    readonly p50CompleteOn: number | undefined;
    readonly p99CompleteOff: number | undefined;
    readonly p99CompleteOn: number | undefined;
  }[];
}

/** The platform's cost of one bundle beside the sum of its parts' baseline costs. */
export interface CostComparison {
  /** The phase the platform figures come from. */
  readonly phase: string;
  readonly parts: readonly CostPart[];
  /** Latency: baseline p50s along the critical path of a bundle, summed. */
  readonly criticalPathSumMs: number | undefined;
  readonly platformP50CompleteMs: number | undefined;
  /** platform p50 / critical-path sum. */
  readonly latencyRatio: number | undefined;
  /** Capacity: seconds of baseline throughput the bundle's operations need, summed, as bundles/s. */
  readonly partsBoundRate: number | undefined;
  readonly platformMaxSustainableRate: number | undefined;
  /** parts-bound rate / platform max sustainable rate. */
  readonly capacityRatio: number | undefined;
}

export interface CostPart {
  readonly part: string;
  /** Operations per bundle. */
  readonly perBundle: number;
  /** "measured" (counted in the run) or "model" (from the platform's design; see README). */
  readonly source: 'measured' | 'model';
  /** Of them, sequential on the critical path from submit to complete. */
  readonly onCriticalPath: number;
  readonly baselineP50Ms: number | undefined;
  readonly baselineRate: number | undefined;
}
