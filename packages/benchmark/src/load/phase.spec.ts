import { demoPopulation, householdsOf, seededRandom } from '@buergerservice/demo-data';
import { TestIssuer } from '@buergerservice/testing';
import type { OffsetSnapshot } from '../platform/kafka-monitor.js';
import { HouseholdPool } from '../platform/population.js';
import { PortalClient } from '../platform/portal-client.js';
import { ProcessMonitor } from '../process-stats.js';
import { PROFILES_BY_NAME, type Profile } from '../profiles.js';
import { type FakePortal, fakePortal } from './fake-portal.fixtures.js';
import { BundleLedger, type LoadContext, MixCounter, runPhase } from './phase.js';

/**
 * The load generator against a stand-in portal on loopback (an HTTP server
 * answering like the gateway's API, with chosen delays): the generator's own
 * behaviour — open model, drops, completion watching, lost bundles — without
 * the platform.
 */
const snapshot: OffsetSnapshot = { produced: 0, deadLetters: 0, groups: {} };
const households = householdsOf(demoPopulation({ persons: 1_000, vehicles: 500 }));
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await TestIssuer.start();
});
afterAll(async () => {
  await issuer.stop();
});

function context(
  portal: FakePortal,
  profile: Partial<Profile>,
  watch: 'sse' | 'poll' = 'sse',
  poolSize = households.length,
) {
  const client = new PortalClient(portal.url, { maxSockets: 64, requestTimeoutMs: 10_000 });
  const ledger = new BundleLedger();
  const ctx: LoadContext = {
    // Drain times far above the stand-in's latencies: on a loaded machine (CI runs many suites at once)
    // the stand-in answers late, and that must not read as an incomplete bundle.
    profile: { ...PROFILES_BY_NAME.ci, drainSeconds: 20, completeTimeoutSeconds: 30, pollMs: 50, ...profile },
    client,
    issuer,
    pool: new HouseholdPool(households.slice(0, poolSize), seededRandom(1)),
    mixRandom: seededRandom(2),
    poisson: false,
    moveInDate: '2026-11-21',
    watch,
    processes: new ProcessMonitor(200),
    targets: () => [{ name: 'load generator', pid: process.pid, tree: false }],
    kafka: { snapshot: async () => snapshot, startSampling: () => undefined, stopSampling: () => ({}) },
    database: undefined,
    spans: undefined,
    ledger,
    serial: { next: 1 },
    mix: new MixCounter(),
  };
  return { ctx, client, ledger };
}

const plan = (rate: number, seconds: number) => ({
  name: `t-${rate}`,
  kind: 'sweep' as const,
  mode: 'off' as const,
  rate,
  seconds,
  arrivalSeed: 1,
});

describe('runPhase (open model against a stand-in portal)', () => {
  it('sends every arrival, follows each bundle to completion over the live stream, and counts from the schedule', async () => {
    const portal = await fakePortal({ acceptMs: 20, completeMs: 150 });
    const { ctx, client, ledger } = context(portal, {});
    try {
      const phase = await runPhase(plan(40, 1), ctx);
      expect(phase.scheduled).toBe(40);
      expect(phase.sent).toBe(40);
      expect(portal.submits).toBe(40);
      expect(phase.accepted).toBe(40);
      expect(phase.completed).toBe(40);
      expect(phase.incomplete).toBe(0);
      expect(phase.latency.complete.min).toBeGreaterThanOrEqual(140);
      // Timers may fire a millisecond early; the bound only shows latency is measured, not how fast.
      expect(phase.latency.accepted.min).toBeGreaterThanOrEqual(15);
      expect(phase.authorities.document?.count).toBe(40);
      expect(phase.stepStates).toEqual({ done: 80 });
      expect(phase.sustainable).toBe(true);
      expect(phase.watch).toBe('sse');
      expect(ledger.incomplete()).toEqual([]);
      expect(ctx.mix.bundles).toBe(40);
    } finally {
      client.close();
      await portal.stop();
    }
  }, 90_000);

  it('does not slow its arrivals down for a slow portal: it drops beyond maxInFlight and says so', async () => {
    const portal = await fakePortal({ acceptMs: 800, completeMs: 900 });
    const { ctx, client } = context(portal, { maxInFlight: 5 });
    try {
      const phase = await runPhase(plan(40, 1), ctx);
      expect(phase.scheduled).toBe(40);
      expect(phase.sent + phase.droppedByClient).toBe(40);
      expect(phase.droppedByClient).toBeGreaterThan(20);
      expect(phase.latency.accepted.min).toBeGreaterThanOrEqual(790);
      expect(phase.sustainable).toBe(false);
      expect(phase.unsustainableBecause.join()).toMatch(/dropped/);
    } finally {
      client.close();
      await portal.stop();
    }
  }, 90_000);

  it('keeps bundles that never complete in the ledger as incomplete (polling mode)', async () => {
    const portal = await fakePortal({ acceptMs: 1, completeMs: 50, neverComplete: (n) => n % 5 === 0 });
    const { ctx, client, ledger } = context(portal, { drainSeconds: 6 }, 'poll');
    try {
      const phase = await runPhase(plan(20, 1), ctx);
      expect(phase.accepted).toBe(20);
      expect(phase.completed).toBe(16);
      expect(phase.incomplete).toBe(4);
      expect(ledger.incomplete()).toHaveLength(4);
      expect(phase.pollsPerBundle).toBeGreaterThan(0);
      expect(phase.pendingSteps).toEqual({ 'document/registration-confirmation': 4 });
      expect(phase.unsustainableBecause.join()).toMatch(/not complete/);
    } finally {
      client.close();
      await portal.stop();
    }
  }, 90_000);

  it('stops sending when the population is used up', async () => {
    const portal = await fakePortal({ acceptMs: 1, completeMs: 10 });
    const { ctx, client } = context(portal, {}, 'sse', 10);
    try {
      const phase = await runPhase(plan(20, 1), ctx);
      expect(phase.sent).toBe(10);
      expect(phase.droppedNoHousehold).toBe(10);
      expect(phase.unsustainableBecause[0]).toMatch(/population exhausted/);
    } finally {
      client.close();
      await portal.stop();
    }
  }, 90_000);
});
