import type { Baselines } from './baselines/index.js';
import type { TelemetryMode } from './config.js';
import { PROFILES_BY_NAME } from './profiles.js';
import type { BenchResult, ModeResult, PhaseResult, PlatformResult } from './results.js';
import { summarize } from './stats.js';

/** Hand-made results for the report and cost-model tests (not a measurement). */

export function fakeBaselines(label: Baselines['label'] = 'before'): Baselines {
  return {
    label,
    startedAt: '2026-11-21T20:00:00.000Z',
    seconds: 30,
    kafka: {
      messageBytes: 400,
      partitions: 3,
      throughput: { messages: 5_000, batchSize: 100, produceRate: 20_000, endToEndRate: 10_000, seconds: 0.5 },
      roundTrip: summarize([4, 5, 5, 6, 20]),
      send: summarize([2, 2, 3, 3, 9]),
    },
    grpc: {
      payloadBytes: 400,
      sequential: summarize([0.2, 0.3, 0.3, 0.4, 1]),
      throughput: { concurrency: 16, seconds: 2, calls: 20_000, rate: 10_000 },
      serverCpuMsPerCall: 0.05,
    },
    mongo: {
      documentBytes: 1_000,
      insert: summarize([1, 1, 2, 2, 5]),
      update: summarize([1, 2, 2, 3, 6]),
      insertThroughput: { concurrency: 16, seconds: 2, ops: 4_000, rate: 2_000 },
      updateThroughput: { concurrency: 16, seconds: 2, ops: 2_000, rate: 1_000 },
    },
  };
}

export function fakePhase(mode: TelemetryMode, offeredRate: number, options: Partial<PhaseResult> = {}): PhaseResult {
  const completed = Math.round(offeredRate * 10);
  const base = offeredRate * 5;
  return {
    name: `${mode}@${offeredRate}`,
    kind: 'sweep',
    mode,
    offeredRate,
    seconds: 10,
    scheduled: completed,
    sent: completed,
    droppedByClient: 0,
    droppedNoHousehold: 0,
    accepted: completed,
    refused: {},
    refusalSamples: [],
    completed,
    incomplete: 0,
    completedPerSecond: offeredRate,
    scheduleLateness: summarize([0.1, 0.2, 1]),
    latency: {
      accepted: summarize([20, 25, 30, 60]),
      complete: summarize([base, base * 1.2, base * 2, base * 4]),
      lastFact: summarize([base + 100, base * 2 + 100]),
    },
    authorities: {
      registration: summarize([30, 40]),
      vehicle: summarize([200, 300]),
      document: summarize([250, 400]),
      appointment: summarize([150, 220]),
    },
    stepStates: { done: completed * 4, 'not-requested': completed },
    pendingSteps: {},
    watch: 'sse',
    pollsPerBundle: 0,
    usage: {
      seconds: 12,
      machineCores: 1.5,
      otherCores: 0.2,
      processes: [
        {
          name: 'registration',
          pid: 11,
          cpuSeconds: 2,
          cores: 0.17,
          peakRssBytes: 150e6,
          hwmBytes: 160e6,
          aliveAtEnd: true,
        },
        {
          name: 'portal-gateway',
          pid: 12,
          cpuSeconds: 3,
          cores: 0.25,
          peakRssBytes: 180e6,
          hwmBytes: 190e6,
          aliveAtEnd: true,
        },
        { name: 'kafka', pid: 13, cpuSeconds: 1, cores: 0.08, peakRssBytes: 600e6, hwmBytes: 610e6, aliveAtEnd: true },
      ],
    },
    serviceCpuMsPerBundle: (5_000 / completed) * (mode === 'on' ? 1.1 : 1),
    infraCpuMsPerBundle: 1_000 / completed,
    lag: { vehicle: { max: 12, mean: 2.5, end: 0, samples: 12 } },
    kafka: { eventsProduced: completed * 4, eventsConsumed: completed * 12, deadLetters: 0 },
    database: {
      writes: completed * 20,
      reads: completed * 10,
      byCommand: { insert: completed * 5, update: completed * 15 },
    },
    spansExported: mode === 'on' ? completed * 40 : undefined,
    sustainable: true,
    unsustainableBecause: [],
    ...options,
  };
}

export function fakeMode(mode: TelemetryMode, rates: readonly number[], unsustainableFrom: number): ModeResult {
  const phases = rates.map((rate) =>
    rate >= unsustainableFrom
      ? fakePhase(mode, rate, { sustainable: false, unsustainableBecause: ['p99 10,000 ms > 5,000 ms'] })
      : fakePhase(mode, rate),
  );
  const sustainable = phases.filter((p) => p.sustainable).map((p) => p.offeredRate);
  return {
    mode,
    startSeconds: 8.5,
    phases: [fakePhase(mode, 2, { kind: 'warmup', name: `${mode}-warmup` }), ...phases],
    maxSustainableRate: sustainable[sustainable.length - 1],
    maxRateWithinTarget: sustainable[0],
    peakRssBytes: { registration: 160e6, 'portal-gateway': 190e6 },
    lateCompletion: summarize([]),
    spans:
      mode === 'on'
        ? [
            {
              service: 'registration',
              name: 'grpc.SubmitChangeOfAddress',
              count: 50,
              totalMs: 2_500,
              p50Ms: 40,
              p99Ms: 200,
              maxMs: 300,
            },
          ]
        : undefined,
  };
}

export function fakePlatform(): PlatformResult {
  return {
    seed: { persons: 3_000, vehicles: 1_800, households: 1_200, seconds: { registration: 4, vehicle: 3 } },
    mix: {
      bundles: 500,
      persons: 1_250,
      vehicles: 400,
      withVehicles: 300,
      withAppointment: 250,
      householdSizes: { '1': 125, '2': 125, '3': 125, '4': 125 },
    },
    modes: [fakeMode('off', [2, 5, 8, 13], 13), fakeMode('on', [2, 5, 8, 13], 8)],
    lost: { count: 0, sample: [], unfinished: 0 },
    bundles: { submitted: 500, accepted: 500, completed: 500 },
    tracingOverhead: undefined,
    costModel: undefined,
  };
}

export function fakeResult(platform: BenchResult['platform'] = fakePlatform()): BenchResult {
  return {
    schema: 'buergerservice-benchmark/1',
    machine: {
      hostname: 'test',
      cpus: 2,
      cpuModel: 'Test CPU',
      memoryBytes: 24 * 1024 ** 3,
      kernel: '6.1',
      node: 'v20.20.2',
      startedAt: '2026-11-21T20:00:00.000Z',
      finishedAt: '2026-11-21T20:02:00.000Z',
      loadAverageStart: [1.5, 1.2, 1],
      loadAverageEnd: [2.5, 1.8, 1.2],
      images: { kafka: 'localhost/buergerservice/kafka:3.9.1', database: 'localhost/buergerservice/ferretdb:1.24.2' },
      infraStartSeconds: 12,
    },
    profile: PROFILES_BY_NAME.ci,
    baselines: [fakeBaselines()],
    platform,
    verdict: {
      ok: true,
      problems: [],
      warnings: [],
      targets: [{ target: '≥ 100 bundles/s', measured: '8 /s', met: false }],
    },
    notes: ['portal-gateway ran from /tmp/gw'],
  };
}
