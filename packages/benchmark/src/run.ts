import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { berlinDate } from '@buergerservice/calendar';
import { demoPopulation, householdsOf, seededRandom } from '@buergerservice/demo-data';
import { type StartedInfra, startInfra, TestIssuer } from '@buergerservice/testing';
import { getContainerRuntimeClient } from 'testcontainers';
import { tracingOverhead, verdict } from './analysis.js';
import { type Baselines, runBaselines } from './baselines/index.js';
import { type BenchConfig, loadBenchConfig, type TelemetryMode } from './config.js';
import { compareCost, modelWritesPerBundle } from './cost-model.js';
import { BundleLedger, type LoadContext, MixCounter } from './load/phase.js';
import { type FinalCheck, finalCheck } from './load/final-check.js';
import { runSearch } from './load/search.js';
import { log, logCleanupFailure } from './log.js';
import { DatabaseCounters } from './platform/db-counters.js';
import { KafkaMonitor } from './platform/kafka-monitor.js';
import { SpanSink } from './platform/otlp.js';
import type { SpanStat } from './platform/span-summary.js';
import { HouseholdPool } from './platform/population.js';
import { PortalClient } from './platform/portal-client.js';
import {
  allocatePorts,
  missingServices,
  type PlatformSettings,
  RunningPlatform,
  SERVICES,
  seedService,
  snapshotBuilds,
} from './platform/services.js';
import { ProcessMonitor, type ProcessTarget, readProcess } from './process-stats.js';
import { type Profile, resolveProfile } from './profiles.js';
import { headlineMode, headlinePhase, summaryLines, writeReport } from './report.js';
import { type BenchResult, machineInfo, type ModeResult, type PlatformResult } from './results.js';
import { summarize } from './stats.js';

/**
 * `npm run bench`: starts Kafka and the database, runs the baselines on
 * them, seeds and starts the five services, runs the open-model load per
 * telemetry mode, and writes results/<timestamp>/. Exit status: 0 unless the
 * platform failed (lost bundles, a crashed service, nothing accepted); a
 * slow platform is reported, never a failure.
 */

/** Clean-ups to run on exit or Ctrl-C, newest first. */
const cleanups: (() => Promise<void>)[] = [];

async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    const step = cleanups.pop();
    await step?.().catch(logCleanupFailure('a clean-up step'));
  }
}

async function containerPid(id: string): Promise<number | undefined> {
  const client = await getContainerRuntimeClient();
  const info = await client.container.inspect(client.container.getById(id));
  const pid = info.State?.Pid;
  // Only when the container's processes are visible here (a local engine); otherwise their CPU is not measured.
  return pid && readProcess(pid) ? pid : undefined;
}

async function runPlatform(config: BenchConfig, profile: Profile, infra: StartedInfra): Promise<PlatformResult> {
  const kafka = await KafkaMonitor.connect(infra.kafkaBrokers);
  cleanups.push(() => kafka.disconnect());
  await kafka.ensureTopics(3);
  const counters = await DatabaseCounters.connect(infra.mongoUrl);
  cleanups.push(() => counters.close());
  const database = (await counters.read()) ? counters : undefined;
  if (!database) log('the database server reports no command counters: MongoDB writes per bundle come from the model');
  const issuer = await TestIssuer.start();
  cleanups.push(() => issuer.stop());
  // Run from copies of the builds as they are now (see snapshotBuilds).
  const snapshot = path.join(config.packageRoot, '.tmp', `builds-${process.pid}`);
  cleanups.push(async () => fs.rmSync(snapshot, { recursive: true, force: true }));
  const settings: PlatformSettings = {
    repoRoot: config.repoRoot,
    serviceDist: snapshotBuilds(config.repoRoot, config.serviceDist, snapshot),
    kafkaBrokers: infra.kafkaBrokers,
    mongoUrl: infra.mongoUrl,
    ports: await allocatePorts(),
    baseEnv: config.childBaseEnv,
    logLevel: config.serviceLogLevel,
    gatewayAuthEnv: issuer.gatewayEnv(),
  };

  log(`seeding ${profile.persons} persons and ${profile.vehicles} vehicles into every service that has a seed command`);
  const seedSeconds: Record<string, number> = {};
  await Promise.all(
    SERVICES.map(async (name) => {
      const seconds = await seedService(settings, name, profile, profile.seedTimeoutSeconds * 1000);
      if (seconds !== undefined) {
        seedSeconds[name] = seconds;
        log(`${name} seeded in ${seconds.toFixed(1)} s`);
      }
    }),
  );
  const population = demoPopulation({ persons: profile.persons, vehicles: profile.vehicles });
  const households = householdsOf(population);
  const pool = new HouseholdPool(households, seededRandom(config.seed));
  const infraTargets: ProcessTarget[] = [];
  for (const [name, id] of [
    ['kafka', infra.kafkaContainerId],
    ['database', infra.databaseContainerId],
  ] as const) {
    const pid = await containerPid(id);
    if (pid) infraTargets.push({ name, pid, tree: true });
  }

  const monitor = new ProcessMonitor(500);
  cleanups.push(async () => monitor.stop());
  const mixRandom = seededRandom(config.seed + 1);
  const mix = new MixCounter();
  const serial = { next: 1 };
  const modes: ModeResult[] = [];
  const lost: string[] = [];
  let unfinished = 0;
  let submitted = 0;
  let accepted = 0;
  let completed = 0;
  for (const mode of profile.telemetryModes) {
    const modeResult = await runMode(mode);
    modes.push(modeResult.result);
    lost.push(...modeResult.check.lost);
    unfinished += modeResult.check.unfinished.length;
  }

  async function runMode(mode: TelemetryMode): Promise<{ result: ModeResult; check: FinalCheck }> {
    const sink = mode === 'on' ? await SpanSink.start(config.childBaseEnv) : undefined;
    let spans: SpanStat[] | undefined;
    const stopSink = async () => {
      spans = await sink?.stop();
    };
    cleanups.push(stopSink);
    const platform = await RunningPlatform.start(settings, { mode, ...(sink ? { otlpEndpoint: sink.url } : {}) });
    const forget = setInterval(() => platform.forgetOutput(), 5_000);
    const client = new PortalClient(`http://127.0.0.1:${settings.ports.portal}`, {
      maxSockets: 256,
      requestTimeoutMs: 30_000,
    });
    const stop = async () => {
      clearInterval(forget);
      client.close();
      await platform.stop();
    };
    cleanups.push(stop);
    try {
      const ledger = new BundleLedger();
      const ctx: LoadContext = {
        profile,
        client,
        issuer,
        pool,
        mixRandom,
        poisson: config.poisson,
        moveInDate: berlinDate(new Date()),
        watch: config.watch,
        processes: monitor,
        targets: () => [
          ...platform.pids().map(({ name, pid }) => ({ name, pid, tree: false })),
          ...infraTargets,
          { name: 'load generator', pid: process.pid, tree: false },
          ...(sink ? [{ name: 'otlp receiver', pid: sink.pid, tree: false }] : []),
        ],
        kafka,
        database,
        spans: sink,
        ledger,
        serial,
        mix,
      };
      const search = await runSearch(mode, ctx, config.seed);
      const check = await finalCheck(client, issuer, ledger, kafka, {
        capMs: profile.finalGraceSeconds * 1000,
        quietMs: profile.quietSeconds * 1000,
        stallMs: profile.stallSeconds * 1000,
        // Every look is one read per bundle: not more often than the platform needs to answer.
        intervalMs: 2_000,
      });
      const peakRssBytes: Record<string, number> = {};
      for (const { name, pid } of platform.pids()) peakRssBytes[name] = readProcess(pid)?.hwmBytes ?? 0;
      for (const phase of search.phases) {
        submitted += phase.sent;
        accepted += phase.accepted;
      }
      completed += ledger.completeCount;
      for (const step of [stop, stopSink]) {
        cleanups.splice(cleanups.indexOf(step), 1);
        await step();
      }
      return {
        result: {
          mode,
          startSeconds: platform.startSeconds,
          phases: search.phases,
          maxSustainableRate: search.maxSustainableRate,
          maxRateWithinTarget: search.maxRateWithinTarget,
          peakRssBytes,
          lateCompletion: summarize(check.lateCompletionsMs),
          spans,
        },
        check,
      };
    } finally {
      for (const step of [stop, stopSink]) {
        const at = cleanups.indexOf(step);
        if (at < 0) continue;
        cleanups.splice(at, 1);
        await step();
      }
    }
  }

  return {
    seed: { persons: profile.persons, vehicles: profile.vehicles, households: households.length, seconds: seedSeconds },
    mix: {
      bundles: mix.bundles,
      persons: mix.persons,
      vehicles: mix.vehicles,
      withVehicles: mix.withVehicles,
      withAppointment: mix.withAppointment,
      householdSizes: { ...mix.householdSizes },
    },
    modes,
    lost: { count: lost.length, sample: lost.slice(0, 10), unfinished },
    bundles: { submitted, accepted, completed },
    tracingOverhead: tracingOverhead(modes),
    costModel: undefined,
  };
}

/** The platform's headline phase beside the sum of its parts' baselines (undefined without completed bundles). */
function costOf(platform: PlatformResult, baselines: Baselines | undefined): PlatformResult['costModel'] {
  const mode = headlineMode(platform);
  const phase = mode ? headlinePhase(mode) : undefined;
  if (!baselines || !phase || phase.completed === 0) return undefined;
  return compareCost({
    baselines,
    phase,
    vehicleShare: platform.mix.bundles > 0 ? platform.mix.withVehicles / platform.mix.bundles : 0,
    measuredWritesPerBundle: phase.database ? phase.database.writes / phase.completed : undefined,
    modelWritesPerBundle: modelWritesPerBundle(
      phase.kafka.eventsProduced / phase.completed,
      phase.kafka.eventsConsumed / phase.completed,
    ),
    platformMaxSustainableRate: mode?.maxSustainableRate,
  });
}

async function main(): Promise<number> {
  const config = loadBenchConfig();
  const profile = resolveProfile(config);
  const startedAt = new Date();
  const loadAverageStart = os.loadavg();
  if (config.scope === 'all') {
    const missing = missingServices(config.repoRoot, config.serviceDist);
    for (const [name, dist] of Object.entries(config.serviceDist)) log(`${name}: using the build in ${dist}`);
    if (missing.length > 0) {
      process.stderr.write(
        `The platform is not built: no dist/main.js in ${missing.map((m) => `services/${m}`).join(', ')}.\n` +
          'Build it (npm run build), or run only the baselines: BENCH_SCOPE=baselines npm run bench\n',
      );
      return 2;
    }
  }
  log(
    `profile ${profile.name}: ${profile.persons} persons, ${profile.vehicles} vehicles, telemetry ${profile.telemetryModes.join(' then ')}`,
  );
  const infra = await startInfra().catch(async (error: unknown) => {
    // A container that did not come up on a busy engine is retried once; a second failure ends the run.
    log(`Kafka/database did not start (${error instanceof Error ? error.message : String(error)}); trying once more`);
    return startInfra();
  });
  cleanups.push(() => infra.stop());
  log(`Kafka ${infra.kafkaBrokers.join(',')} and database ${infra.mongoUrl} up in ${infra.startSeconds.toFixed(1)} s`);
  const targets = { kafkaBrokers: infra.kafkaBrokers, mongoUrl: infra.mongoUrl, childEnv: config.childBaseEnv };
  const baselines: Baselines[] = [await runBaselines('before', targets, profile.baselines)];
  let platform: BenchResult['platform'] = { skipped: 'BENCH_SCOPE=baselines' };
  if (config.scope === 'all') {
    const measured = await runPlatform(config, profile, infra);
    platform = { ...measured, costModel: costOf(measured, baselines[0]) };
    if (profile.baselinesAfter) baselines.push(await runBaselines('after', targets, profile.baselines));
  }
  const result: BenchResult = {
    schema: 'buergerservice-benchmark/1',
    machine: machineInfo(startedAt, loadAverageStart, infra.images, infra.startSeconds),
    profile,
    baselines,
    platform,
    verdict: verdict('skipped' in platform ? undefined : platform, profile),
    notes: Object.entries(config.serviceDist).map(
      ([name, dist]) => `${name} ran from ${dist}, not from services/${name}/dist (BENCH_SERVICE_DIST)`,
    ),
  };
  const dir = writeReport(result, config.resultsDir, startedAt);
  process.stdout.write(`${summaryLines(result, dir).join('\n')}\n`);
  return result.verdict.ok ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the services and containers`);
    void cleanUp().finally(() => process.exit(130));
  });
}

main()
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    const message =
      error instanceof Error
        ? `${error.message}${error.cause instanceof Error ? `\n  cause: ${error.cause.message}` : ''}`
        : String(error);
    process.stderr.write(`benchmark failed: ${message}\n`);
    await cleanUp();
    process.exit(2);
  });
