import {
  maxRateWithinTarget,
  maxSustainableRate,
  targetStatuses,
  tracingOverhead,
  unsustainableReasons,
  verdict,
} from './analysis.js';
import { fakeMode, fakePhase, fakePlatform } from './results.fixtures.js';
import { summarize } from './stats.js';

const profile = { sustainableP99Ms: 5_000, targetP99Ms: 1_000 };

describe('unsustainableReasons', () => {
  it('accepts a phase that completed everything with a bounded p99', () => {
    expect(unsustainableReasons(fakePhase('on', 10), profile)).toEqual([]);
  });

  it('names every reason a rate is not sustainable', () => {
    const phase = fakePhase('on', 10, {
      scheduled: 100,
      sent: 90,
      droppedByClient: 10,
      droppedNoHousehold: 0,
      accepted: 80,
      refused: { '503': 10 },
      completed: 60,
      incomplete: 20,
      latency: { accepted: summarize([1]), complete: summarize([100, 9_000]), lastFact: summarize([1]) },
    });
    const reasons = unsustainableReasons(phase, profile);
    expect(reasons).toEqual([
      '10.0 % of arrivals dropped: too many submissions open',
      '11.1 % refused',
      '25.0 % not complete within the drain time',
      'p99 submit→complete 9000 ms > 5000 ms',
    ]);
  });

  it('tolerates 1 % loss, not more', () => {
    const at = (incomplete: number) =>
      unsustainableReasons(fakePhase('on', 10, { accepted: 100, completed: 100 - incomplete, incomplete }), profile);
    expect(at(1)).toEqual([]);
    expect(at(2)).toEqual(['2.0 % not complete within the drain time']);
  });

  it('says when the population ran out', () => {
    expect(unsustainableReasons(fakePhase('on', 10, { droppedNoHousehold: 5 }), profile)[0]).toMatch(
      /population exhausted/,
    );
  });
});

describe('maximum rates', () => {
  it('takes the highest sustainable measured rate, and the highest within the p99 target', () => {
    const mode = fakeMode('on', [2, 5, 8, 13], 13);
    expect(maxSustainableRate(mode.phases)).toBe(8);
    // fakePhase's p99 grows with the rate: 5 × rate × 4 ms; below 1,000 ms up to rate 49.
    expect(maxRateWithinTarget(mode.phases, 1_000)).toBe(8);
    expect(maxRateWithinTarget(mode.phases, 100)).toBe(2);
    expect(maxSustainableRate(fakeMode('on', [2], 1).phases)).toBeUndefined();
  });
});

describe('tracingOverhead', () => {
  it('compares equal rates and the maximum sustainable rates', () => {
    const overhead = tracingOverhead([fakeMode('off', [2, 5, 8, 13], 13), fakeMode('on', [2, 5, 8], 8)]);
    expect(overhead?.maxSustainableOff).toBe(8);
    expect(overhead?.maxSustainableOn).toBe(5);
    expect(overhead?.throughputCost).toBeCloseTo(0.375);
    expect(overhead?.perRate.map((r) => r.rate)).toEqual([2, 5, 8]);
    expect(overhead?.perRate[0]?.cpuCost).toBeCloseTo(0.1);
  });

  it('is undefined with one mode only', () => {
    expect(tracingOverhead([fakeMode('on', [2], 5)])).toBeUndefined();
  });
});

describe('targets and verdict', () => {
  it("reports where the run stands against the issue's targets", () => {
    const platform = { ...fakePlatform(), tracingOverhead: tracingOverhead(fakePlatform().modes) };
    const [throughput, telemetry, memory] = targetStatuses(platform, profile);
    expect(throughput?.met).toBe(false);
    expect(throughput?.measured).toBe('2 /s (max sustainable 5 /s)');
    expect(telemetry?.met).toBe(false);
    expect(memory?.measured).toBe('largest: portal-gateway 172 MB');
    expect(memory?.met).toBe(true);
  });

  it('fails only for lost bundles, crashed services or nothing accepted', () => {
    expect(verdict(fakePlatform(), profile).ok).toBe(true);
    const lost = { ...fakePlatform(), lost: { count: 2, sample: ['b1', 'b2'], unfinished: 0 } };
    expect(verdict(lost, profile)).toEqual(
      expect.objectContaining({ ok: false, problems: ['2 accepted bundle(s) never completed (e.g. b1, b2)'] }),
    );
    const crashedPhase = fakePhase('on', 5);
    const crashed = {
      ...fakePlatform(),
      modes: [
        {
          ...fakeMode('on', [5], 10),
          phases: [
            {
              ...crashedPhase,
              usage: {
                ...crashedPhase.usage,
                processes: crashedPhase.usage.processes.map((p) => ({ ...p, aliveAtEnd: p.name !== 'registration' })),
              },
            },
          ],
        },
      ],
    };
    expect(verdict(crashed, profile).problems).toEqual(['service registration exited during the telemetry-on run']);
    expect(verdict(undefined, profile).ok).toBe(true);
    const slow = verdict({ ...fakePlatform(), lost: { count: 0, sample: [], unfinished: 3 } }, profile);
    expect(slow.ok).toBe(true);
    expect(slow.warnings[0]).toMatch(/^3 accepted bundle\(s\) were still progressing/);
  });
});
