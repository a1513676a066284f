import path from 'node:path';
import { type Env, envInt, envList, loadConfig, z } from '@buergerservice/config';
import { type InfraEndpoints, infraEnv } from '@buergerservice/testing';

export const PROFILES = ['ci', 'full'] as const;
export type ProfileName = (typeof PROFILES)[number];

/** Every drill the runner knows, cheapest first. */
export const DRILLS = [
  'sigkill-vehicle',
  'db-proxy',
  'kafka-proxy',
  'sigkill-registration',
  'sigkill-document',
  'sigkill-appointment',
  'sigkill-portal-gateway',
  'db-restart',
  'kafka-kill',
] as const;
export type DrillName = (typeof DRILLS)[number];

/** ci = a reduced but real load and the two cheapest faults; full = ≥500 bundles per drill and every fault. */
export const PROFILE_DEFAULTS: Record<ProfileName, { bundles: number; drills: readonly DrillName[] }> = {
  ci: { bundles: 50, drills: ['sigkill-vehicle', 'db-proxy'] },
  full: { bundles: 500, drills: DRILLS },
};

/** The runner's settings, from the environment. */
export function loadDrillsConfig(env?: Env) {
  const raw = loadConfig(
    {
      DRILLS_PROFILE: z.enum(PROFILES).default('ci'),
      /** Bundles per drill (overrides the profile). */
      DRILLS_BUNDLES: envInt({ min: 1, max: 100_000 }).optional(),
      /** Only these drills, comma-separated (overrides the profile). */
      DRILLS_ONLY: envList()
        .pipe(z.array(z.enum(DRILLS)))
        .optional(),
      /** Bundles in flight at once. */
      DRILLS_CONCURRENCY: envInt({ min: 1, max: 500 }).default(8),
      /** At most this long to wait for every bundle to complete after the last submission. */
      DRILLS_SETTLE_SECONDS: envInt({ min: 10, max: 7_200 }).default(1_800),
      /** A drill gives up waiting when no bundle completed for this long. */
      DRILLS_STALL_SECONDS: envInt({ min: 10, max: 3_600 }).default(120),
      /** Entry points instead of the services' dist/main.js, e.g. "portal-gateway=/tmp/gw/dist/main.js". */
      DRILLS_ENTRY_OVERRIDES: envList().default([]),
      DRILLS_SERVICE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
      /** Passed to child processes, which inherit nothing else. */
      PATH: z.string().default('/usr/local/bin:/usr/bin:/bin'),
      HOME: z.string().default('/tmp'),
    },
    env,
  );
  const defaults = PROFILE_DEFAULTS[raw.DRILLS_PROFILE];
  const packageRoot = path.resolve(__dirname, '..');
  return {
    profile: raw.DRILLS_PROFILE,
    bundlesPerDrill: raw.DRILLS_BUNDLES ?? defaults.bundles,
    drills: raw.DRILLS_ONLY ?? defaults.drills,
    concurrency: raw.DRILLS_CONCURRENCY,
    settleSeconds: raw.DRILLS_SETTLE_SECONDS,
    stallSeconds: raw.DRILLS_STALL_SECONDS,
    serviceLogLevel: raw.DRILLS_SERVICE_LOG_LEVEL,
    entryOverrides: Object.fromEntries(
      raw.DRILLS_ENTRY_OVERRIDES.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
    ),
    childBaseEnv: { PATH: raw.PATH, HOME: raw.HOME },
    packageRoot,
    repoRoot: path.resolve(packageRoot, '..', '..'),
  };
}

export type DrillsConfig = ReturnType<typeof loadDrillsConfig>;

/**
 * Hands the infrastructure this process started to the testing harness's
 * helpers (TopicRecorder, killContainer, …), which read it from the
 * environment as they do under jest's global setup.
 */
export function exportInfraEnv(endpoints: InfraEndpoints): void {
  Object.assign(process.env, infraEnv(endpoints));
}
