import { seededRandom } from '@buergerservice/demo-data';
import { SpanDurations } from './span-summary.js';

describe('SpanDurations', () => {
  it('ranks span names by total time with count, p50, p99 and max', () => {
    const d = new SpanDurations();
    for (let i = 1; i <= 100; i++) d.add('registration', 'grpc.SubmitChangeOfAddress', i);
    d.add('portal-gateway', 'POST /api/bundles', 10_000);
    d.add('portal-gateway', 'bad', Number.NaN);
    const [first, second] = d.top(10);
    expect(first).toEqual({
      service: 'portal-gateway',
      name: 'POST /api/bundles',
      count: 1,
      totalMs: 10_000,
      p50Ms: 10_000,
      p99Ms: 10_000,
      maxMs: 10_000,
    });
    expect(second).toEqual({
      service: 'registration',
      name: 'grpc.SubmitChangeOfAddress',
      count: 100,
      totalMs: 5_050,
      p50Ms: 50,
      p99Ms: 99,
      maxMs: 100,
    });
    expect(d.top(10)).toHaveLength(2);
  });

  it('keeps memory bounded: a reservoir per name, a cap on names', () => {
    const d = new SpanDurations(100, seededRandom(1), 3);
    for (let i = 0; i < 10_000; i++) d.add('s', 'n', i % 1_000);
    for (const name of ['a', 'b', 'c', 'd']) d.add('s', name, 1);
    const top = d.top(10);
    expect(top).toHaveLength(3);
    expect(top[0]?.count).toBe(10_000);
    // A uniform sample of 0..999: its median is near 500.
    expect(top[0]?.p50Ms).toBeGreaterThan(300);
    expect(top[0]?.p50Ms).toBeLessThan(700);
  });
});
