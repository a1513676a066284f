import { seededRandom } from '@buergerservice/demo-data';
import { arrivalOffsets, mean, percentile, ratePerSecond, ratio, sum, summarize } from './stats.js';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('returns a value a sample really had', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 51)).toBe(3);
  });

  it('with one sample, every percentile is that sample', () => {
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
  });

  it('is undefined without samples and refuses percentiles outside (0, 100]', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('sorts, and reports count, min, mean, percentiles and max', () => {
    const values = [5, 1, 4, 2, 3, 100, 6, 7, 8, 9];
    expect(summarize(values)).toEqual({ count: 10, min: 1, mean: 14.5, p50: 5, p90: 9, p95: 100, p99: 100, max: 100 });
    expect(values[0]).toBe(5);
  });

  it('keeps a single outlier visible in p99 and max of 1000 samples', () => {
    const values = [...Array.from({ length: 999 }, () => 10), 5_000];
    const s = summarize(values);
    expect(s.p99).toBe(10);
    expect(s.max).toBe(5_000);
  });

  it('has no figures without samples and refuses non-finite samples', () => {
    expect(summarize([])).toEqual(expect.objectContaining({ count: 0, p50: undefined, max: undefined }));
    expect(() => summarize([1, Number.NaN])).toThrow(RangeError);
    expect(() => summarize([Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });
});

describe('rates and ratios', () => {
  it('divides safely', () => {
    expect(ratePerSecond(50, 2)).toBe(25);
    expect(ratePerSecond(50, 0)).toBeUndefined();
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeUndefined();
    expect(ratio(undefined, 2)).toBeUndefined();
    expect(mean([1, undefined, 3])).toBe(2);
    expect(mean([undefined])).toBeUndefined();
    expect(sum([1, undefined, 2])).toBe(3);
  });
});

describe('arrival schedule (open model)', () => {
  it('is reproducible from the seed', () => {
    const a = arrivalOffsets({ rate: 50, seconds: 10, poisson: true, random: seededRandom(1), maxCount: 10_000 });
    const b = arrivalOffsets({ rate: 50, seconds: 10, poisson: true, random: seededRandom(1), maxCount: 10_000 });
    expect(a).toEqual(b);
  });

  it('offers the rate on average, ascending, inside the horizon (Poisson)', () => {
    const offsets = arrivalOffsets({
      rate: 100,
      seconds: 60,
      poisson: true,
      random: seededRandom(42),
      maxCount: 100_000,
    });
    expect(offsets.length).toBeGreaterThan(5_700);
    expect(offsets.length).toBeLessThan(6_300);
    for (let i = 1; i < offsets.length; i++) expect(offsets[i]).toBeGreaterThanOrEqual(offsets[i - 1] as number);
    expect(offsets[offsets.length - 1]).toBeLessThan(60_000);
  });

  it('spaces evenly without Poisson', () => {
    expect(arrivalOffsets({ rate: 4, seconds: 1, poisson: false, random: seededRandom(1), maxCount: 100 })).toEqual([
      125, 375, 625, 875,
    ]);
  });

  it('is bounded by maxCount and empty for a zero rate or duration', () => {
    expect(
      arrivalOffsets({ rate: 1_000, seconds: 100, poisson: false, random: Math.random, maxCount: 10 }),
    ).toHaveLength(10);
    expect(arrivalOffsets({ rate: 0, seconds: 10, poisson: true, random: Math.random, maxCount: 10 })).toEqual([]);
    expect(arrivalOffsets({ rate: 10, seconds: 0, poisson: true, random: Math.random, maxCount: 10 })).toEqual([]);
  });
});
