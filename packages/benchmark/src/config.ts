import path from 'node:path';
import { type Env, envBool, envInt, envList, loadConfig, z } from '@buergerservice/config';

/** Which runs to do: everything, or only the baselines (no services needed). */
export const SCOPES = ['all', 'baselines'] as const;
export const PROFILES = ['full', 'ci'] as const;
export const TELEMETRY_MODES = ['off', 'on'] as const;

export type ProfileName = (typeof PROFILES)[number];
export type TelemetryMode = (typeof TELEMETRY_MODES)[number];

/** A comma-separated list of positive numbers, e.g. "10,25,50". */
const positiveNumberList = () =>
  envList().pipe(
    z.array(
      z
        .string()
        .regex(/^\d+(\.\d+)?$/, 'every rate must be a positive number')
        .transform(Number)
        .refine((n) => n > 0, 'every rate must be a positive number'),
    ),
  );

/**
 * The benchmark's settings, from the environment. Everything but the
 * profile is optional: the profile (see profiles.ts) supplies defaults, these
 * override them for an experiment.
 */
export function loadBenchConfig(env?: Env) {
  const raw = loadConfig(
    {
      /** full = 100,000 persons / 60,000 vehicles and long phases; ci = small and short (inside `npm test`). */
      BENCH_PROFILE: z.enum(PROFILES).default('full'),
      /** all = baselines + platform; baselines = only the raw Kafka/gRPC/MongoDB figures (no services needed). */
      BENCH_SCOPE: z.enum(SCOPES).default('all'),
      /** Where results/<timestamp>/ go; default: the package's results/ folder. */
      BENCH_RESULTS_DIR: z.string().min(1).optional(),
      BENCH_PERSONS: envInt({ min: 10, max: 2_000_000 }).optional(),
      BENCH_VEHICLES: envInt({ min: 0, max: 2_000_000 }).optional(),
      /** Offered rates (bundles/s) of the fixed-rate sweep, ascending. */
      BENCH_RATES: positiveNumberList().optional(),
      /** Seconds of arrivals per rate. */
      BENCH_PHASE_SECONDS: envInt({ min: 1, max: 3_600 }).optional(),
      /** Highest rate the step-up search may offer. */
      BENCH_MAX_RATE: z.coerce.number().positive().optional(),
      /** Telemetry modes to run, in order (off,on measures the tracing overhead). */
      BENCH_TELEMETRY: envList()
        .pipe(z.array(z.enum(TELEMETRY_MODES)).min(1, 'name at least one of off, on'))
        .optional(),
      /** Interval of the status polls per bundle. */
      BENCH_POLL_MS: envInt({ min: 50, max: 10_000 }).optional(),
      /** Seed of the bundle mix and the arrival times. */
      BENCH_SEED: envInt({ min: 0 }).default(20261121),
      /** Poisson arrivals (default) or evenly spaced ones. */
      BENCH_POISSON: envBool().default(true),
      /** How completion is watched: the tracker's live stream (SSE, as the page does) or status polls. */
      BENCH_WATCH: z.enum(['sse', 'poll']).default('sse'),
      /**
       * Build folders to use instead of services/<name>/dist, e.g. "portal-gateway=/tmp/gw-dist" (comma-separated):
       * to benchmark a build of a working tree without touching the service's own dist/.
       */
      BENCH_SERVICE_DIST: envList()
        .pipe(z.array(z.string().regex(/^[a-z-]+=.+$/, 'use name=/path/to/dist')))
        .optional(),
      /** Log level of the services during the run. */
      BENCH_SERVICE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
      /** Passed to child processes, which inherit nothing else. */
      PATH: z.string().default('/usr/local/bin:/usr/bin:/bin'),
      HOME: z.string().default('/tmp'),
    },
    env,
  );
  const packageRoot = path.resolve(__dirname, '..');
  return {
    profile: raw.BENCH_PROFILE,
    scope: raw.BENCH_SCOPE,
    resultsDir: raw.BENCH_RESULTS_DIR ? path.resolve(raw.BENCH_RESULTS_DIR) : path.join(packageRoot, 'results'),
    repoRoot: path.resolve(packageRoot, '..', '..'),
    packageRoot,
    overrides: {
      persons: raw.BENCH_PERSONS,
      vehicles: raw.BENCH_VEHICLES,
      rates: raw.BENCH_RATES,
      phaseSeconds: raw.BENCH_PHASE_SECONDS,
      maxRate: raw.BENCH_MAX_RATE,
      telemetryModes: raw.BENCH_TELEMETRY,
      pollMs: raw.BENCH_POLL_MS,
    },
    seed: raw.BENCH_SEED,
    poisson: raw.BENCH_POISSON,
    watch: raw.BENCH_WATCH,
    serviceLogLevel: raw.BENCH_SERVICE_LOG_LEVEL,
    serviceDist: Object.fromEntries(
      (raw.BENCH_SERVICE_DIST ?? []).map((entry) => {
        const at = entry.indexOf('=');
        return [entry.slice(0, at), path.resolve(entry.slice(at + 1))];
      }),
    ) as Readonly<Record<string, string>>,
    childBaseEnv: { PATH: raw.PATH, HOME: raw.HOME },
  };
}

export type BenchConfig = ReturnType<typeof loadBenchConfig>;
