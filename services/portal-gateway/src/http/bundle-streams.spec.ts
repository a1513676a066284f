import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { InMemoryBundles } from '../app/in-memory.fixtures.js';
import type { StoredBundle } from '../app/ports.js';
import { BundleStreams, nextPollDelay } from './bundle-streams.js';

const pacing = { pollMs: 1_000, maxPollMs: 8_000 };

describe('the pace of re-reading an open stream', () => {
  it('doubles while nothing changes, up to the limit', () => {
    const delays = [pacing.pollMs];
    for (let i = 0; i < 5; i++) delays.push(nextPollDelay(delays.at(-1) ?? 0, false, pacing));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });

  it('is back to the shortest wait after a change', () => {
    expect(nextPollDelay(8_000, true, pacing)).toBe(1_000);
  });
});

/** The part of an express response a stream uses, recording what was written. */
class RecordedResponse extends EventEmitter {
  readonly chunks: string[] = [];
  writableEnded = false;
  status() {
    return this;
  }
  set() {
    return this;
  }
  flushHeaders() {}
  write(chunk: string) {
    this.chunks.push(chunk);
    return true;
  }
  end() {
    this.writableEnded = true;
  }
  statuses(): string[] {
    return this.chunks.filter((c) => c.startsWith('id: '));
  }
}

/** The bundle store, counting the re-reads of the streams. */
class CountingBundles extends InMemoryBundles {
  reads = 0;
  override async get(bundleId: string): Promise<StoredBundle | undefined> {
    this.reads += 1;
    return super.get(bundleId);
  }
}

async function submitted(bundles: InMemoryBundles): Promise<StoredBundle> {
  await bundles.saveSubmission({
    bundleId: 'b-1',
    ownerPersonId: 'P0000001',
    submission: {
      personId: 'P0000001',
      memberIds: [],
      plates: [],
      documents: ['registration-confirmation'],
      appointment: { wanted: false, autoBook: false },
      submittedAt: new Date('2026-11-20T10:00:00Z'),
    },
  });
  const bundle = await bundles.get('b-1');
  if (!bundle) throw new Error('no bundle');
  return bundle;
}

/** Runs the timers due within `ms` and lets the re-reads they start finish. */
async function elapse(ms: number): Promise<void> {
  await jest.advanceTimersByTimeAsync(ms);
}

describe('an open status stream', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('re-reads an unchanged bundle ever less often, and sends a change another replica applied', async () => {
    const bundles = new CountingBundles();
    const initial = await submitted(bundles);
    bundles.reads = 0;
    const streams = new BundleStreams(bundles, { ...pacing, heartbeatMs: 60_000 });
    const req = new EventEmitter();
    const res = new RecordedResponse();
    streams.serve(req as unknown as Request, res as unknown as Response, initial);
    expect(res.statuses()).toHaveLength(1);

    // Unchanged: re-read after 1, 2, 4, 8, 8 s — 5 reads in 23 s instead of 23.
    await elapse(23_000);
    expect(bundles.reads).toBe(5);
    expect(res.statuses()).toHaveLength(1);

    // Another replica records the move: the next re-read sends it, and the pace is back to 1 s.
    await bundles.recordMove('b-1', 'move-1', new Date('2026-11-22T10:00:00Z'));
    await elapse(8_000);
    expect(bundles.reads).toBe(6);
    expect(res.statuses()).toHaveLength(2);
    await elapse(1_000);
    expect(bundles.reads).toBe(7);

    streams.closeAll();
    await elapse(60_000);
    expect(bundles.reads).toBe(7);
    expect(res.writableEnded).toBe(true);
  });

  it('sends a change of this replica at once and re-reads soon after it', async () => {
    const bundles = new CountingBundles();
    const initial = await submitted(bundles);
    bundles.reads = 0;
    const streams = new BundleStreams(bundles, { ...pacing, heartbeatMs: 60_000 });
    const res = new RecordedResponse();
    streams.serve(new EventEmitter() as unknown as Request, res as unknown as Response, initial);
    await elapse(15_000); // reads at 1, 3, 7, 15 s: the next one is due 8 s later
    expect(bundles.reads).toBe(4);

    await bundles.recordMove('b-1', 'move-1', new Date('2026-11-22T10:00:00Z'));
    const changed = await bundles.get('b-1');
    if (!changed) throw new Error('no bundle');
    bundles.reads = 0;
    streams.bundleChanged(initial, changed);
    expect(res.statuses()).toHaveLength(2);

    // The pace is 1 s again from the push on (then 2 s, 4 s, …), not 8 s from the last read.
    await elapse(1_000);
    expect(bundles.reads).toBe(1);
    await elapse(2_000);
    expect(bundles.reads).toBe(2);
    expect(res.statuses()).toHaveLength(2);
    streams.closeAll();
  });

  it('stops re-reading when the client goes away', async () => {
    const bundles = new CountingBundles();
    const initial = await submitted(bundles);
    bundles.reads = 0;
    const streams = new BundleStreams(bundles, { ...pacing, heartbeatMs: 60_000 });
    const req = new EventEmitter();
    streams.serve(req as unknown as Request, new RecordedResponse() as unknown as Response, initial);
    await elapse(1_000);
    req.emit('close');
    const reads = bundles.reads;
    await elapse(60_000);
    expect(bundles.reads).toBe(reads);
    expect(streams.open).toBe(0);
  });
});
