import { compareCost, modelWritesPerBundle, WRITES_BEFORE_ACCEPTED } from './cost-model.js';
import { fakeBaselines, fakePhase } from './results.fixtures.js';

describe('compareCost', () => {
  const phase = fakePhase('on', 10); // 100 completed, 400 events produced, 1,200 consumed, p50 complete 60 ms
  const baselines = fakeBaselines(); // gRPC p50 0.3, writes p50 mean(2, 2) = 2, Kafka rtt p50 5, send p50 3

  it('sums the baseline p50s along the critical path and divides the platform p50 by it', () => {
    const c = compareCost({
      baselines,
      phase,
      vehicleShare: 0.5,
      measuredWritesPerBundle: undefined,
      modelWritesPerBundle: 20,
      platformMaxSustainableRate: 10,
    });
    const hops = 2.5;
    const expected = 0.3 + (WRITES_BEFORE_ACCEPTED + hops) * 2 + hops * 5;
    expect(c.criticalPathSumMs).toBeCloseTo(expected);
    expect(c.platformP50CompleteMs).toBe(60);
    expect(c.latencyRatio).toBeCloseTo(60 / expected);
    expect(c.parts.map((p) => [p.part, p.perBundle, p.source])).toEqual([
      ['gRPC unary call', 1, 'model'],
      ['MongoDB single-document write', 20, 'model'],
      ['Kafka event produced (acks=all)', 4, 'measured'],
      ['Kafka event delivered (produce→consume)', 12, 'measured'],
    ]);
  });

  it('sums the seconds of baseline throughput a bundle needs into a parts-bound rate', () => {
    const c = compareCost({
      baselines,
      phase,
      vehicleShare: 0,
      measuredWritesPerBundle: 15,
      modelWritesPerBundle: 99,
      platformMaxSustainableRate: 10,
    });
    // 1/10,000 (gRPC) + 15/1,500 (writes) + 4/20,000 (produce) + 12/10,000 (deliver)
    const seconds = 1 / 10_000 + 15 / 1_500 + 4 / 20_000 + 12 / 10_000;
    expect(c.partsBoundRate).toBeCloseTo(1 / seconds);
    expect(c.capacityRatio).toBeCloseTo(1 / seconds / 10);
    expect(c.parts[1]?.source).toBe('measured');
  });

  it('has no ratios without a platform figure', () => {
    const c = compareCost({
      baselines,
      phase: fakePhase('on', 10, { completed: 0 }),
      vehicleShare: 0,
      measuredWritesPerBundle: undefined,
      modelWritesPerBundle: 10,
      platformMaxSustainableRate: undefined,
    });
    expect(c.capacityRatio).toBeUndefined();
  });
});

describe('modelWritesPerBundle', () => {
  it('counts the submit writes, one outbox mark per event and one write per consumption', () => {
    expect(modelWritesPerBundle(4, 12)).toBe(WRITES_BEFORE_ACCEPTED + 16);
  });
});
