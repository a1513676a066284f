import type { OffsetSnapshot } from '../platform/kafka-monitor.js';
import { PortalClient } from '../platform/portal-client.js';
import { fakePortal } from './fake-portal.fixtures.js';
import { finalCheck } from './final-check.js';
import { BundleLedger } from './phase.js';

const issuer = { token: async (personId: string) => `h.${personId}.s` };
const lagOf = (lag: number): OffsetSnapshot => ({ produced: 0, deadLetters: 0, groups: { g: { committed: 0, lag } } });

async function submitted(count: number, portalUrl: string, client: PortalClient): Promise<BundleLedger> {
  const ledger = new BundleLedger();
  for (let i = 0; i < count; i++) {
    const outcome = await client.submit(`h.P${i}.s`, '{}');
    if (outcome.kind !== 'ok') throw new Error(`submit failed at ${portalUrl}`);
    ledger.accepted(outcome.value.bundleId, `P${i}`);
  }
  return ledger;
}

describe('finalCheck', () => {
  it('waits for slow bundles while they complete', async () => {
    const portal = await fakePortal({ acceptMs: 1, completeMs: 1_500 });
    const client = new PortalClient(portal.url, { maxSockets: 8, requestTimeoutMs: 5_000 });
    try {
      const ledger = await submitted(5, portal.url, client);
      const check = await finalCheck(
        client,
        issuer,
        ledger,
        { snapshot: async () => lagOf(3) },
        {
          capMs: 10_000,
          quietMs: 5_000,
          stallMs: 5_000,
          intervalMs: 100,
        },
      );
      expect(check).toEqual(expect.objectContaining({ lost: [], unfinished: [] }));
      expect(check.lateCompletionsMs).toHaveLength(5);
      expect(ledger.incomplete()).toEqual([]);
    } finally {
      client.close();
      await portal.stop();
    }
  }, 30_000);

  it('calls bundles lost when the platform is quiet (no lag, nothing completing)', async () => {
    const portal = await fakePortal({ acceptMs: 1, completeMs: 10, neverComplete: (n) => n === 1 });
    const client = new PortalClient(portal.url, { maxSockets: 8, requestTimeoutMs: 5_000 });
    try {
      const ledger = await submitted(3, portal.url, client);
      const check = await finalCheck(
        client,
        issuer,
        ledger,
        { snapshot: async () => lagOf(0) },
        {
          capMs: 20_000,
          quietMs: 300,
          stallMs: 10_000,
          intervalMs: 50,
        },
      );
      expect(check.lost).toEqual(['b-1']);
      expect(check.unfinished).toEqual([]);
      expect(check.seconds).toBeLessThan(10);
    } finally {
      client.close();
      await portal.stop();
    }
  }, 30_000);

  it('calls them lost when the platform makes no progress, unfinished when time runs out while it does', async () => {
    const portal = await fakePortal({ acceptMs: 1, completeMs: 10, neverComplete: () => true });
    const client = new PortalClient(portal.url, { maxSockets: 8, requestTimeoutMs: 5_000 });
    try {
      const stalled = await finalCheck(
        client,
        issuer,
        await submitted(2, portal.url, client),
        { snapshot: async () => lagOf(5) },
        {
          capMs: 20_000,
          quietMs: 300,
          stallMs: 400,
          intervalMs: 50,
        },
      );
      expect(stalled.lost).toHaveLength(2);
      let lag = 1_000;
      const progressing = await finalCheck(
        client,
        issuer,
        await submitted(2, portal.url, client),
        {
          snapshot: async () => {
            lag -= 1;
            return lagOf(lag);
          },
        },
        { capMs: 500, quietMs: 300, stallMs: 10_000, intervalMs: 50 },
      );
      expect(progressing.lost).toEqual([]);
      expect(progressing.unfinished).toHaveLength(2);
    } finally {
      client.close();
      await portal.stop();
    }
  }, 30_000);
});
