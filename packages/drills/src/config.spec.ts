import { DRILLS, loadDrillsConfig, PROFILE_DEFAULTS } from './config.js';

describe('loadDrillsConfig', () => {
  it('selects the Kafka proxy drill by name', () => {
    const config = loadDrillsConfig({ DRILLS_ONLY: 'kafka-proxy', DRILLS_BUNDLES: '50' });
    expect(config.drills).toEqual(['kafka-proxy']);
    expect(config.bundlesPerDrill).toBe(50);
  });

  it('runs every drill, the Kafka proxy included, in the full profile', () => {
    expect(loadDrillsConfig({ DRILLS_PROFILE: 'full' }).drills).toEqual(DRILLS);
    expect(DRILLS).toContain('kafka-proxy');
  });

  it('keeps the ci profile at two cheap drills of 50 bundles', () => {
    expect(PROFILE_DEFAULTS.ci).toEqual({ bundles: 50, drills: ['sigkill-vehicle', 'db-proxy'] });
  });

  it('refuses an unknown drill name', () => {
    expect(() => loadDrillsConfig({ DRILLS_ONLY: 'kafka-proxie' })).toThrow();
  });
});
