import type { Profile } from './profiles.js';
import type { ModeResult, PhaseResult, PlatformResult, TargetStatus, TracingOverhead, Verdict } from './results.js';
import { ratio } from './stats.js';

/** Share of arrivals that may be refused, dropped or left incomplete at a sustainable rate. */
export const TOLERATED_LOSS = 0.01;

/** The counts a sustainability decision needs (a phase before its verdict is attached). */
export type PhaseFigures = Pick<
  PhaseResult,
  | 'scheduled'
  | 'sent'
  | 'droppedByClient'
  | 'droppedNoHousehold'
  | 'accepted'
  | 'refused'
  | 'completed'
  | 'incomplete'
  | 'latency'
>;

/**
 * Why an offered rate is not sustainable (empty when it is): the platform
 * must accept and complete (nearly) every arrival within the phase's drain
 * time, without the client having to hold arrivals back, and the p99 from
 * submit to complete must stay bounded (a queue that keeps growing shows
 * there first).
 */
export function unsustainableReasons(phase: PhaseFigures, profile: Pick<Profile, 'sustainableP99Ms'>): string[] {
  const reasons: string[] = [];
  const pct = (n: number, of: number) => `${((n / Math.max(1, of)) * 100).toFixed(1)} %`;
  if (phase.droppedNoHousehold > 0)
    reasons.push(`population exhausted (${phase.droppedNoHousehold} arrivals not sent)`);
  if (phase.droppedByClient > TOLERATED_LOSS * phase.scheduled) {
    reasons.push(`${pct(phase.droppedByClient, phase.scheduled)} of arrivals dropped: too many submissions open`);
  }
  const refused = Object.values(phase.refused).reduce((a, b) => a + b, 0);
  if (refused > TOLERATED_LOSS * phase.sent) reasons.push(`${pct(refused, phase.sent)} refused`);
  if (phase.incomplete > TOLERATED_LOSS * phase.accepted) {
    reasons.push(`${pct(phase.incomplete, phase.accepted)} not complete within the drain time`);
  }
  if (phase.accepted === 0) reasons.push('nothing accepted');
  const p99 = phase.latency.complete.p99;
  if (p99 !== undefined && p99 > profile.sustainableP99Ms) {
    reasons.push(`p99 submit→complete ${Math.round(p99)} ms > ${profile.sustainableP99Ms} ms`);
  }
  return reasons;
}

/** Highest offered rate among the sustainable measured phases. */
export function maxSustainableRate(phases: readonly PhaseResult[]): number | undefined {
  const rates = phases.filter((p) => p.kind !== 'warmup' && p.sustainable).map((p) => p.offeredRate);
  return rates.length > 0 ? Math.max(...rates) : undefined;
}

/** Highest sustainable offered rate whose p99 submit→complete met the target. */
export function maxRateWithinTarget(phases: readonly PhaseResult[], targetP99Ms: number): number | undefined {
  const rates = phases
    .filter(
      (p) => p.kind !== 'warmup' && p.sustainable && (p.latency.complete.p99 ?? Number.POSITIVE_INFINITY) < targetP99Ms,
    )
    .map((p) => p.offeredRate);
  return rates.length > 0 ? Math.max(...rates) : undefined;
}

/** Telemetry on vs off: at equal offered rates, and in maximum sustainable throughput. */
export function tracingOverhead(modes: readonly ModeResult[]): TracingOverhead | undefined {
  const off = modes.find((m) => m.mode === 'off');
  const on = modes.find((m) => m.mode === 'on');
  if (!off || !on) return undefined;
  const measured = (m: ModeResult) => m.phases.filter((p) => p.kind !== 'warmup');
  const perRate = measured(off).flatMap((a) => {
    const b = measured(on).find((p) => p.offeredRate === a.offeredRate);
    if (!b) return [];
    const cpuRatio = ratio(b.serviceCpuMsPerBundle, a.serviceCpuMsPerBundle);
    return [
      {
        rate: a.offeredRate,
        cpuMsPerBundleOff: a.serviceCpuMsPerBundle,
        cpuMsPerBundleOn: b.serviceCpuMsPerBundle,
        cpuCost: cpuRatio === undefined ? undefined : cpuRatio - 1,
        p50CompleteOff: a.latency.complete.p50,
        p50CompleteOn: b.latency.complete.p50,
        p99CompleteOff: a.latency.complete.p99,
        p99CompleteOn: b.latency.complete.p99,
      },
    ];
  });
  const throughputRatio = ratio(on.maxSustainableRate, off.maxSustainableRate);
  return {
    maxSustainableOff: off.maxSustainableRate,
    maxSustainableOn: on.maxSustainableRate,
    throughputCost: throughputRatio === undefined ? undefined : 1 - throughputRatio,
    perRate: perRate.sort((x, y) => x.rate - y.rate),
  };
}

const MB = 1024 * 1024;
const SERVICE_RSS_LIMIT_BYTES = 250 * MB;

/** The service processes (not Kafka, the database, the generator or the OTLP sink). */
export const SERVICE_NAMES = ['registration', 'vehicle', 'appointment', 'document', 'portal-gateway'] as const;

/** Where the run stands against the targets; reported, never asserted. */
export function targetStatuses(platform: PlatformResult, profile: Pick<Profile, 'targetP99Ms'>): TargetStatus[] {
  const on = platform.modes.find((m) => m.mode === 'on') ?? platform.modes[0];
  const statuses: TargetStatus[] = [];
  const withinTarget = on?.maxRateWithinTarget;
  statuses.push({
    target: `≥ 100 bundles/s sustained, p99 submit→complete < ${profile.targetP99Ms} ms (telemetry ${on?.mode ?? '–'})`,
    measured:
      withinTarget === undefined
        ? `no offered rate met p99 < ${profile.targetP99Ms} ms (max sustainable ${on?.maxSustainableRate ?? '–'} /s)`
        : `${withinTarget} /s (max sustainable ${on?.maxSustainableRate ?? '–'} /s)`,
    met: withinTarget === undefined ? false : withinTarget >= 100,
  });
  const overhead = platform.tracingOverhead;
  statuses.push({
    target: 'telemetry costs ≤ 15 % of throughput',
    measured:
      overhead?.throughputCost === undefined
        ? 'not measured'
        : `${(overhead.throughputCost * 100).toFixed(1)} % (max sustainable off ${overhead.maxSustainableOff} /s, on ${overhead.maxSustainableOn} /s)`,
    met: overhead?.throughputCost === undefined ? undefined : overhead.throughputCost <= 0.15,
  });
  let worst: { name: string; bytes: number } | undefined;
  for (const mode of platform.modes) {
    for (const phase of mode.phases) {
      for (const p of phase.usage.processes) {
        if (!(SERVICE_NAMES as readonly string[]).includes(p.name)) continue;
        if (!worst || p.peakRssBytes > worst.bytes) worst = { name: p.name, bytes: p.peakRssBytes };
      }
    }
  }
  statuses.push({
    target: 'each service RSS ≤ 250 MB under load',
    measured: worst ? `largest: ${worst.name} ${(worst.bytes / MB).toFixed(0)} MB` : 'not measured',
    met: worst ? worst.bytes <= SERVICE_RSS_LIMIT_BYTES : undefined,
  });
  return statuses;
}

/** The run fails only when the platform failed: a lost bundle, a crashed service, or nothing accepted at all. */
export function verdict(platform: PlatformResult | undefined, profile: Pick<Profile, 'targetP99Ms'>): Verdict {
  if (!platform) return { ok: true, problems: [], warnings: [], targets: [] };
  const problems: string[] = [];
  if (platform.lost.count > 0) {
    problems.push(
      `${platform.lost.count} accepted bundle(s) never completed (e.g. ${platform.lost.sample.slice(0, 3).join(', ')})`,
    );
  }
  if (platform.bundles.submitted > 0 && platform.bundles.accepted === 0) problems.push('no bundle was accepted');
  for (const mode of platform.modes) {
    const dead = new Set(
      mode.phases
        .flatMap((p) =>
          p.usage.processes.filter((u) => !u.aliveAtEnd && (SERVICE_NAMES as readonly string[]).includes(u.name)),
        )
        .map((u) => u.name),
    );
    for (const name of dead) problems.push(`service ${name} exited during the telemetry-${mode.mode} run`);
  }
  const warnings =
    platform.lost.unfinished > 0
      ? [
          `${platform.lost.unfinished} accepted bundle(s) were still progressing when the final check's time was up (slow, not lost)`,
        ]
      : [];
  return { ok: problems.length === 0, problems, warnings, targets: targetStatuses(platform, profile) };
}
