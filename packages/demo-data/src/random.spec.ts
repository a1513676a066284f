import { seededRandom } from './random.js';

describe('seededRandom', () => {
  it('stays in [0, 1) and differs per seed', () => {
    const r = seededRandom(7);
    const values = Array.from({ length: 10_000 }, () => r());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(seededRandom(1)()).not.toBe(seededRandom(2)());
  });

  it('repeats its sequence for the same seed', () => {
    const a = seededRandom(20261121);
    const b = seededRandom(20261121);
    expect(Array.from({ length: 100 }, () => a())).toEqual(Array.from({ length: 100 }, () => b()));
  });
});
