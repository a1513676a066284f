import { parseSeedArgs } from './seed.js';

describe('seed arguments', () => {
  it('defaults to 200 persons and 120 vehicles', () => {
    expect(parseSeedArgs([])).toEqual({ persons: 200, vehicles: 120 });
  });

  it('reads --persons and --vehicles', () => {
    expect(parseSeedArgs(['--persons', '5000', '--vehicles', '3000'])).toEqual({ persons: 5000, vehicles: 3000 });
  });

  it('refuses anything else', () => {
    expect(() => parseSeedArgs(['--people', '5'])).toThrow(/unknown argument/);
    expect(() => parseSeedArgs(['--persons', '-1'])).toThrow(/whole number/);
    expect(() => parseSeedArgs(['--vehicles'])).toThrow(/whole number/);
  });
});
