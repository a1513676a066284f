import { PROFILES_BY_NAME } from '../profiles.js';
import { arrivalSeed, bisect, searchPlan } from './search.js';

describe('the rate search', () => {
  it('sweeps the fixed rates, then steps up geometrically to the maximum', () => {
    const plan = searchPlan({ ...PROFILES_BY_NAME.full, rates: [10, 50, 100], stepFactor: 1.5, maxRate: 400 });
    expect(plan.sweep).toEqual([10, 50, 100]);
    expect(plan.steps).toEqual([150, 225, 338]);
  });

  it('bisects between a sustainable and an unsustainable rate until they are adjacent', () => {
    expect(bisect(100, 125)).toBe(113);
    expect(bisect(5, 8)).toBe(6.5);
    expect(bisect(10, 11)).toBeUndefined();
  });

  it('gives a rate the same arrival seed in both modes, and different rates different seeds', () => {
    expect(arrivalSeed(1, 50, 'sweep')).toBe(arrivalSeed(1, 50, 'sweep'));
    expect(arrivalSeed(1, 50, 'sweep')).not.toBe(arrivalSeed(1, 75, 'sweep'));
    expect(arrivalSeed(1, 50, 'sweep')).not.toBe(arrivalSeed(2, 50, 'sweep'));
  });
});
