import { loadBenchConfig } from './config.js';
import { PROFILES_BY_NAME, resolveProfile, roundRate, stepRates } from './profiles.js';

describe('profiles', () => {
  it('full seeds 100,000 persons and 60,000 vehicles; ci is small', () => {
    expect(PROFILES_BY_NAME.full).toEqual(expect.objectContaining({ persons: 100_000, vehicles: 60_000 }));
    expect(PROFILES_BY_NAME.ci.persons).toBeLessThanOrEqual(5_000);
  });

  it('lets the environment override sizes and rates', () => {
    const config = loadBenchConfig({
      BENCH_PROFILE: 'ci',
      BENCH_PERSONS: '500',
      BENCH_RATES: '8,2',
      BENCH_TELEMETRY: 'on',
    });
    const profile = resolveProfile(config);
    expect(profile.name).toBe('ci');
    expect(profile.persons).toBe(500);
    expect(profile.rates).toEqual([2, 8]);
    expect(profile.telemetryModes).toEqual(['on']);
    expect(profile.vehicles).toBe(PROFILES_BY_NAME.ci.vehicles);
  });

  it('warms up at no more than the lowest offered rate', () => {
    const lower = resolveProfile(loadBenchConfig({ BENCH_PROFILE: 'full', BENCH_RATES: '1,2,4' }));
    expect(lower.warmup).toEqual({ ...PROFILES_BY_NAME.full.warmup, rate: 1 });
    const higher = resolveProfile(loadBenchConfig({ BENCH_PROFILE: 'full', BENCH_RATES: '50,100' }));
    expect(higher.warmup.rate).toBe(PROFILES_BY_NAME.full.warmup.rate);
  });

  it('refuses nonsense with the variable named', () => {
    expect(() => loadBenchConfig({ BENCH_RATES: '10,fast' })).toThrow(/BENCH_RATES/);
    expect(() => loadBenchConfig({ BENCH_TELEMETRY: 'maybe' })).toThrow(/BENCH_TELEMETRY/);
    expect(() => loadBenchConfig({ BENCH_PROFILE: 'huge' })).toThrow(/BENCH_PROFILE/);
  });
});

describe('stepRates', () => {
  it('steps geometrically above the last swept rate up to the maximum', () => {
    expect(stepRates(100, 1.25, 300)).toEqual([125, 156, 195, 244]);
    expect(stepRates(5, 1.6, 40)).toEqual([8, 13, 21, 34]);
    expect(stepRates(5, 1, 40)).toEqual([]);
  });

  it('rounds to one decimal below 10 and to whole numbers above', () => {
    expect(roundRate(3.24)).toBe(3.2);
    expect(roundRate(12.6)).toBe(13);
  });
});
