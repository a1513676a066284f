import { seededRandom } from '@buergerservice/demo-data';
import type { TestIssuer } from '@buergerservice/testing';
import { unsustainableReasons } from '../analysis.js';
import type { TelemetryMode } from '../config.js';
import { log } from '../log.js';
import { type KafkaMonitor, offsetDelta } from '../platform/kafka-monitor.js';
import { type BundleSpec, bundleFor, type HouseholdPool } from '../platform/population.js';
import type { BundleStatus, PortalClient } from '../platform/portal-client.js';
import type { DatabaseCounters } from '../platform/db-counters.js';
import { countsBetween } from '../platform/db-counters.js';
import type { SpanSink } from '../platform/otlp.js';
import type { ProcessMonitor, ProcessTarget } from '../process-stats.js';
import type { Profile } from '../profiles.js';
import type { PhaseKind, PhaseResult } from '../results.js';
import { arrivalOffsets, summarize } from '../stats.js';

export interface PhasePlan {
  readonly name: string;
  readonly kind: PhaseKind;
  readonly mode: TelemetryMode;
  readonly rate: number;
  readonly seconds: number;
  /** Seed of the arrival times: the same for the same rate in both telemetry modes. */
  readonly arrivalSeed: number;
}

/** Every accepted bundle of the run, so the end of the run can look for lost ones. */
export class BundleLedger {
  private readonly entries = new Map<string, { personId: string; complete: boolean; scheduledAt: number }>();

  /** `scheduledAt`: wall-clock ms of the bundle's scheduled send. */
  accepted(bundleId: string, personId: string, scheduledAt = Date.now()): void {
    if (!this.entries.has(bundleId)) this.entries.set(bundleId, { personId, complete: false, scheduledAt });
  }

  scheduledAt(bundleId: string): number | undefined {
    return this.entries.get(bundleId)?.scheduledAt;
  }

  completed(bundleId: string): void {
    const entry = this.entries.get(bundleId);
    if (entry) entry.complete = true;
  }

  incomplete(): { bundleId: string; personId: string }[] {
    return [...this.entries.entries()]
      .filter(([, e]) => !e.complete)
      .map(([bundleId, e]) => ({ bundleId, personId: e.personId }));
  }

  get size(): number {
    return this.entries.size;
  }

  get completeCount(): number {
    return [...this.entries.values()].filter((e) => e.complete).length;
  }
}

export interface LoadContext {
  readonly profile: Profile;
  readonly client: PortalClient;
  readonly issuer: TestIssuer;
  readonly pool: HouseholdPool;
  /** Drives the bundle mix (seeded). */
  readonly mixRandom: () => number;
  readonly poisson: boolean;
  readonly moveInDate: string;
  readonly watch: 'sse' | 'poll';
  readonly processes: ProcessMonitor;
  readonly targets: () => ProcessTarget[];
  /** Offsets and lag from the broker (the run's KafkaMonitor). */
  readonly kafka: Pick<KafkaMonitor, 'snapshot' | 'startSampling' | 'stopSampling'>;
  readonly database: Pick<DatabaseCounters, 'read'> | undefined;
  readonly spans: Pick<SpanSink, 'spans'> | undefined;
  readonly ledger: BundleLedger;
  /** Serial numbers of bundles (landlord confirmation references), across phases. */
  readonly serial: { next: number };
  /** The mix as offered, accumulated over the run. */
  readonly mix: MixCounter;
}

/** Counts the bundles the generator sent: the mix as really offered. */
export class MixCounter {
  bundles = 0;
  persons = 0;
  vehicles = 0;
  withVehicles = 0;
  withAppointment = 0;
  readonly householdSizes: Record<string, number> = {};

  add(spec: BundleSpec): void {
    this.bundles += 1;
    const size = 1 + spec.body.householdMemberIds.length;
    this.persons += size;
    this.householdSizes[String(size)] = (this.householdSizes[String(size)] ?? 0) + 1;
    this.vehicles += spec.body.vehiclePlates.length;
    if (spec.body.vehiclePlates.length > 0) this.withVehicles += 1;
    if (spec.body.appointment.wanted) this.withAppointment += 1;
  }
}

/** Names of the processes that are services (their CPU is the platform's), and of Kafka and the database. */
const INFRA_PROCESSES = new Set(['kafka', 'database']);
const NOT_PLATFORM = new Set(['load generator', 'otlp receiver', ...INFRA_PROCESSES]);

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

interface Completion {
  /** Scheduled send (performance clock). */
  readonly due: number;
  readonly completeMs: number;
  readonly lastFactMs: number | undefined;
  readonly completedAtPerf: number;
  readonly bundle: BundleStatus;
}

/** Prepared before the clock starts, so the generator only sends during the phase. */
interface Prepared {
  readonly spec: BundleSpec;
  readonly body: string;
  readonly token: string;
}

/**
 * Runs one open-model phase: arrivals at their scheduled times regardless of
 * answers; each accepted bundle followed until complete; then drained for at
 * most `drainSeconds`. Returns the phase's figures.
 */
export async function runPhase(plan: PhasePlan, ctx: LoadContext): Promise<PhaseResult> {
  const { profile, client } = ctx;
  const offsets = arrivalOffsets({
    rate: plan.rate,
    seconds: plan.seconds,
    poisson: ctx.poisson,
    random: seededRandom(plan.arrivalSeed),
    maxCount: Math.ceil(plan.rate * plan.seconds * 2) + 100,
  });
  const prepared: (Prepared | undefined)[] = [];
  for (let i = 0; i < offsets.length; i++) {
    const household = ctx.pool.take();
    if (!household) {
      prepared.push(undefined);
      continue;
    }
    const spec = bundleFor(household, ctx.mixRandom, ctx.moveInDate, ctx.serial.next++);
    prepared.push({ spec, body: JSON.stringify(spec.body), token: await ctx.issuer.token(spec.personId) });
  }
  log(
    `phase ${plan.name}: ${plan.rate}/s for ${plan.seconds} s, ${offsets.length} arrivals (${ctx.pool.remaining} households left)`,
  );

  const offsetsBefore = await ctx.kafka.snapshot();
  const dbBefore = await ctx.database?.read();
  const spansBefore = ctx.spans?.spans;
  ctx.processes.begin(ctx.targets());
  ctx.kafka.startSampling(1_000);

  const lateness: number[] = [];
  const acceptedMs: number[] = [];
  const completions: Completion[] = [];
  const refused: Record<string, number> = {};
  const refusalSamples: string[] = [];
  let sent = 0;
  let accepted = 0;
  let droppedByClient = 0;
  let droppedNoHousehold = 0;
  let inFlight = 0;
  let polls = 0;
  let watchErrors = 0;
  const abort = new AbortController();
  const wallOffset = Date.now() - performance.now();

  const refuse = (key: string, detail: string) => {
    refused[key] = (refused[key] ?? 0) + 1;
    if (refusalSamples.length < 5 && !refusalSamples.includes(detail)) refusalSamples.push(detail);
  };

  /** The last status seen of bundles not (yet) complete: which steps they wait for. */
  const lastSeen = new Map<string, BundleStatus>();
  const record = (bundle: BundleStatus, due: number) => {
    lastSeen.delete(bundle.bundleId);
    const now = performance.now();
    const completedAt = bundle.completedAt ? Date.parse(bundle.completedAt) : Number.NaN;
    completions.push({
      due,
      completeMs: now - due,
      lastFactMs: Number.isFinite(completedAt) ? Math.max(0, completedAt - (wallOffset + due)) : undefined,
      completedAtPerf: now,
      bundle,
    });
    ctx.ledger.completed(bundle.bundleId);
  };

  const poll = async (bundleId: string, token: string, due: number, deadline: number): Promise<void> => {
    while (!abort.signal.aborted && performance.now() < deadline) {
      await sleep(profile.pollMs, abort.signal);
      if (abort.signal.aborted) return;
      polls += 1;
      const outcome = await client.get(token, bundleId);
      if (outcome.kind === 'ok' && outcome.value.complete) {
        record(outcome.value, due);
        return;
      }
      if (outcome.kind === 'ok') lastSeen.set(bundleId, outcome.value);
    }
  };

  const watch = async (bundle: BundleStatus, token: string, due: number): Promise<void> => {
    const deadline = due + profile.completeTimeoutSeconds * 1000;
    if (bundle.complete) return record(bundle, due);
    if (ctx.watch === 'sse') {
      const ticket = await client.streamTicket(token, bundle.bundleId);
      if (ticket.kind === 'ok') {
        const timeout = AbortSignal.timeout(Math.max(1, Math.ceil(deadline - performance.now())));
        const followed = await client.follow(ticket.value, (b) => b.complete, AbortSignal.any([abort.signal, timeout]));
        if (followed.reason === 'done' && followed.last) return record(followed.last, due);
        if (followed.last) lastSeen.set(bundle.bundleId, followed.last);
        if (followed.reason === 'aborted') return;
      }
      // No ticket, or the stream broke: keep following by polling rather than losing the bundle.
    }
    await poll(bundle.bundleId, token, due, deadline);
  };

  const launch = async (item: Prepared, due: number): Promise<void> => {
    inFlight += 1;
    const outcome = await client.submit(item.token, item.body);
    inFlight -= 1;
    if (outcome.kind === 'ok') {
      accepted += 1;
      acceptedMs.push(performance.now() - due);
      ctx.ledger.accepted(outcome.value.bundleId, item.spec.personId, wallOffset + due);
      try {
        await watch(outcome.value, item.token, due);
      } catch (error) {
        // A fault of the watcher, not of the platform: the bundle stays in the ledger and is checked at the end.
        watchErrors += 1;
        if (watchErrors <= 3)
          log(`watching ${outcome.value.bundleId} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    } else if (outcome.kind === 'refused') {
      refuse(String(outcome.status), outcome.detail);
    } else {
      refuse('transport', outcome.detail);
    }
  };

  const tasks: Promise<void>[] = [];
  const start = performance.now() + 20;
  for (let i = 0; i < offsets.length; i++) {
    const due = start + (offsets[i] as number);
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    lateness.push(Math.max(0, performance.now() - due));
    const item = prepared[i];
    if (!item) {
      droppedNoHousehold += 1;
      continue;
    }
    if (inFlight >= profile.maxInFlight) {
      droppedByClient += 1;
      continue;
    }
    sent += 1;
    ctx.mix.add(item.spec);
    tasks.push(launch(item, due));
  }
  const arrivalsEnded = performance.now();
  const drain = setTimeout(() => abort.abort(), profile.drainSeconds * 1000);
  await Promise.all(tasks);
  clearTimeout(drain);
  abort.abort();

  const usage = ctx.processes.end();
  // The OTLP sink reports its count every second: wait for the spans of the last completions.
  if (ctx.spans) await sleep(2_000);
  const lag = ctx.kafka.stopSampling();
  const offsetsAfter = await ctx.kafka.snapshot();
  const dbAfter = await ctx.database?.read();
  const kafka = offsetDelta(offsetsBefore, offsetsAfter);

  const completed = completions.length;
  const authorityTimes: Record<string, number[]> = {};
  const stepStates: Record<string, number> = {};
  for (const c of completions) {
    const latest: Record<string, number> = {};
    for (const step of c.bundle.steps) {
      stepStates[step.state] = (stepStates[step.state] ?? 0) + 1;
      const at =
        step.state === 'done'
          ? (step.doneAt ?? step.updatedAt)
          : step.state === 'rejected'
            ? step.updatedAt
            : undefined;
      if (!at || !step.authority) continue;
      const t = Date.parse(at);
      if (Number.isFinite(t)) latest[step.authority] = Math.max(latest[step.authority] ?? 0, t);
    }
    for (const [authority, t] of Object.entries(latest)) {
      const times = authorityTimes[authority] ?? [];
      times.push(Math.max(0, t - (wallOffset + c.due)));
      authorityTimes[authority] = times;
    }
  }
  const lastCompletion = completions.reduce((a, c) => Math.max(a, c.completedAtPerf), arrivalsEnded);
  const cpu = (pick: (name: string) => boolean) =>
    usage.processes.filter((p) => pick(p.name)).reduce((a, p) => a + p.cpuSeconds, 0);
  const figures = {
    scheduled: offsets.length,
    sent,
    droppedByClient,
    droppedNoHousehold,
    accepted,
    refused,
    completed,
    incomplete: accepted - completed,
    latency: {
      accepted: summarize(acceptedMs),
      complete: summarize(completions.map((c) => c.completeMs)),
      lastFact: summarize(completions.flatMap((c) => (c.lastFactMs === undefined ? [] : [c.lastFactMs]))),
    },
  };
  const reasons = unsustainableReasons(figures, profile);
  const pendingSteps: Record<string, number> = {};
  for (const bundle of lastSeen.values()) {
    for (const step of bundle.steps) {
      if (step.state !== 'pending') continue;
      const key = `${step.authority}/${step.kind}`;
      pendingSteps[key] = (pendingSteps[key] ?? 0) + 1;
    }
  }
  const result: PhaseResult = {
    name: plan.name,
    kind: plan.kind,
    mode: plan.mode,
    offeredRate: plan.rate,
    seconds: plan.seconds,
    ...figures,
    refusalSamples,
    completedPerSecond: completed > 0 ? completed / ((lastCompletion - start) / 1000) : undefined,
    scheduleLateness: summarize(lateness),
    authorities: Object.fromEntries(Object.entries(authorityTimes).map(([a, v]) => [a, summarize(v)])),
    stepStates,
    pendingSteps,
    watch: ctx.watch,
    pollsPerBundle: completed > 0 ? polls / completed : undefined,
    usage,
    serviceCpuMsPerBundle: completed > 0 ? (cpu((n) => !NOT_PLATFORM.has(n)) * 1000) / completed : undefined,
    infraCpuMsPerBundle: completed > 0 ? (cpu((n) => INFRA_PROCESSES.has(n)) * 1000) / completed : undefined,
    lag,
    kafka: { eventsProduced: kafka.produced, eventsConsumed: kafka.consumed, deadLetters: kafka.deadLetters },
    database: dbBefore && dbAfter ? countsBetween(dbBefore, dbAfter) : undefined,
    spansExported: spansBefore === undefined || !ctx.spans ? undefined : ctx.spans.spans - spansBefore,
    sustainable: reasons.length === 0,
    unsustainableBecause: reasons,
  };
  log(
    `phase ${plan.name}: sent ${sent}, accepted ${accepted}, completed ${completed}, ` +
      `complete p50/p99 ${Math.round(result.latency.complete.p50 ?? Number.NaN)}/${Math.round(result.latency.complete.p99 ?? Number.NaN)} ms` +
      (reasons.length > 0 ? ` — not sustainable: ${reasons.join('; ')}` : ' — sustainable') +
      (Object.keys(pendingSteps).length > 0
        ? `; incomplete bundles wait for: ${Object.entries(pendingSteps)
            .map(([k, n]) => `${k} ×${n}`)
            .join(', ')}`
        : ''),
  );
  return result;
}
