import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ServiceProcess } from '@buergerservice/testing';
import type { TelemetryMode } from '../config.js';
import { log, logCleanupFailure } from '../log.js';

/** The five services, in start order: the authorities first, the gateway (their client and tracker) last. */
export const SERVICES = ['registration', 'vehicle', 'appointment', 'document', 'portal-gateway'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Where a service's build is: services/<name>/dist, unless the configuration names another folder. */
export function serviceDist(
  repoRoot: string,
  name: ServiceName,
  overrides: Readonly<Record<string, string>> = {},
): string {
  return overrides[name] ?? path.join(repoRoot, 'services', name, 'dist');
}

/** Services whose built entry point is missing (the platform cannot run without all five). */
export function missingServices(repoRoot: string, overrides: Readonly<Record<string, string>> = {}): ServiceName[] {
  return SERVICES.filter((name) => !fs.existsSync(path.join(serviceDist(repoRoot, name, overrides), 'main.js')));
}

/**
 * Copies every service's build into `into/<name>` and returns the folders to
 * run from: a rebuild of a service while the benchmark runs (`rm -rf dist`,
 * other engineers share the machine) must not pull its entry point away
 * between the telemetry modes. The copies resolve their dependencies through
 * the repository's node_modules like the originals (`into` lies inside it).
 */
export function snapshotBuilds(
  repoRoot: string,
  overrides: Readonly<Record<string, string>>,
  into: string,
): Record<ServiceName, string> {
  const result = {} as Record<ServiceName, string>;
  for (const name of SERVICES) {
    const target = path.join(into, name);
    fs.cpSync(serviceDist(repoRoot, name, overrides), target, { recursive: true });
    result[name] = target;
  }
  return result;
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface PlatformPorts {
  readonly grpc: Readonly<Record<Exclude<ServiceName, 'portal-gateway'>, number>>;
  readonly portal: number;
  readonly metrics: Readonly<Record<ServiceName, number>>;
}

export async function allocatePorts(): Promise<PlatformPorts> {
  const take = async () => freePort();
  return {
    grpc: { registration: await take(), vehicle: await take(), appointment: await take(), document: await take() },
    portal: await take(),
    metrics: {
      registration: await take(),
      vehicle: await take(),
      appointment: await take(),
      document: await take(),
      'portal-gateway': await take(),
    },
  };
}

export interface PlatformSettings {
  readonly repoRoot: string;
  /** Build folders replacing services/<name>/dist (see BENCH_SERVICE_DIST). */
  readonly serviceDist: Readonly<Record<string, string>>;
  readonly kafkaBrokers: readonly string[];
  /** Database server URL without a database name; each service gets its own database. */
  readonly mongoUrl: string;
  readonly ports: PlatformPorts;
  /** PATH and HOME for the children (they inherit nothing else). */
  readonly baseEnv: Record<string, string>;
  readonly logLevel: string;
  /** The gateway's sign-in settings (the benchmark's own issuer). */
  readonly gatewayAuthEnv: Record<string, string>;
}

/**
 * The environment of one service, as infra/scripts/run-platform.js starts
 * the platform locally, plus what the benchmark needs: telemetry on or off,
 * the OTLP receiver, the benchmark's issuer, and rate limits far above the
 * offered load (one client address sends every citizen's requests here).
 */
export function serviceEnv(
  settings: PlatformSettings,
  name: ServiceName,
  telemetry: { readonly mode: TelemetryMode; readonly otlpEndpoint?: string },
): Record<string, string> {
  const { ports } = settings;
  const env: Record<string, string> = {
    ...settings.baseEnv,
    NODE_ENV: 'production',
    PORT: String(name === 'portal-gateway' ? ports.portal : ports.grpc[name]),
    HOST: '127.0.0.1',
    MONGO_URL: `${settings.mongoUrl.replace(/\/+$/, '')}/${name}`,
    KAFKA_BROKERS: settings.kafkaBrokers.join(','),
    GRPC_INSECURE: 'true',
    OTEL_SERVICE_NAME: name,
    TELEMETRY_ENABLED: telemetry.mode === 'on' ? 'true' : 'false',
    METRICS_PORT: telemetry.mode === 'on' ? String(ports.metrics[name]) : '0',
    LOG_LEVEL: settings.logLevel,
    REGISTRATION_GRPC_ADDRESS: `127.0.0.1:${ports.grpc.registration}`,
    VEHICLE_GRPC_ADDRESS: `127.0.0.1:${ports.grpc.vehicle}`,
    APPOINTMENT_GRPC_ADDRESS: `127.0.0.1:${ports.grpc.appointment}`,
    DOCUMENT_GRPC_ADDRESS: `127.0.0.1:${ports.grpc.document}`,
  };
  if (telemetry.mode === 'on' && telemetry.otlpEndpoint) env.OTEL_EXPORTER_OTLP_ENDPOINT = telemetry.otlpEndpoint;
  if (name === 'portal-gateway') {
    Object.assign(env, settings.gatewayAuthEnv, {
      PUBLIC_URL: `http://127.0.0.1:${ports.portal}`,
      RATE_LIMIT_PER_IP_PER_MINUTE: '100000000',
      RATE_LIMIT_PER_CITIZEN_PER_MINUTE: '1000000',
      RATE_LIMIT_BUNDLES_PER_HOUR: '1000000',
    });
  }
  if (name === 'document') {
    env.DOCUMENT_DEV_SIGNING_KEY = 'true';
    env.SIGNING_DEV_KEY = 'true';
  }
  return env;
}

function runSeed(settings: PlatformSettings, name: ServiceName, script: string, args: string[], timeoutMs: number) {
  return new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      [script, ...args],
      {
        cwd: path.join(settings.repoRoot, 'services', name),
        env: { ...serviceEnv(settings, name, { mode: 'off' }), LOG_LEVEL: 'warn' },
        timeout: timeoutMs,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, _stdout, stderr) => {
        if (error) reject(new SeedError(name, `${error.message}\n${stderr.slice(-2_000)}`, error));
        else resolve();
      },
    );
  });
}

export class SeedError extends Error {
  override readonly name = 'SeedError';
  constructor(
    readonly service: ServiceName,
    readonly output: string,
    cause: unknown,
  ) {
    super(`seeding ${service} failed: ${output}`, { cause });
  }
}

/**
 * Runs `node services/<name>/dist/seed.js --persons N --vehicles M` (the
 * platform's seed convention); resolves to its seconds, undefined when the
 * service has no seed command. A seed that refuses `--vehicles` (it owns no
 * vehicles) is run again with `--persons` only.
 */
export async function seedService(
  settings: PlatformSettings,
  name: ServiceName,
  size: { readonly persons: number; readonly vehicles: number },
  timeoutMs: number,
): Promise<number | undefined> {
  const script = path.join(serviceDist(settings.repoRoot, name, settings.serviceDist), 'seed.js');
  if (!fs.existsSync(script)) return undefined;
  const started = performance.now();
  const persons = ['--persons', String(size.persons)];
  try {
    await runSeed(settings, name, script, [...persons, '--vehicles', String(size.vehicles)], timeoutMs);
  } catch (error) {
    if (!(error instanceof SeedError && /unknown option '?--vehicles/i.test(error.output))) throw error;
    log(`${name}'s seed does not take --vehicles; seeding it with --persons only`);
    await runSeed(settings, name, script, persons, timeoutMs);
  }
  return (performance.now() - started) / 1000;
}

/** The five services running as child processes, as in production (one Node process each). */
export class RunningPlatform {
  private constructor(
    readonly processes: ReadonlyMap<ServiceName, ServiceProcess>,
    readonly startSeconds: number,
  ) {}

  static async start(
    settings: PlatformSettings,
    telemetry: { readonly mode: TelemetryMode; readonly otlpEndpoint?: string },
  ): Promise<RunningPlatform> {
    const started = performance.now();
    const processes = new Map<ServiceName, ServiceProcess>();
    try {
      for (const name of SERVICES) {
        const service = new ServiceProcess({
          name,
          entry: path.join(serviceDist(settings.repoRoot, name, settings.serviceDist), 'main.js'),
          cwd: path.join(settings.repoRoot, 'services', name),
          nodeArgs: ['--require', '@buergerservice/telemetry/register'],
          env: serviceEnv(settings, name, telemetry),
          readyTimeoutMs: 60_000,
        });
        processes.set(name, service);
        const t0 = performance.now();
        await service.start();
        log(
          `${name} ready in ${((performance.now() - t0) / 1000).toFixed(1)} s (telemetry ${telemetry.mode}, log ${service.logFile})`,
        );
      }
    } catch (error) {
      await Promise.all(
        [...processes.values()].map((p) => p.stop('SIGKILL').catch(logCleanupFailure('killing a service'))),
      );
      throw error;
    }
    return new RunningPlatform(processes, (performance.now() - started) / 1000);
  }

  pids(): { name: ServiceName; pid: number }[] {
    return [...this.processes.entries()].flatMap(([name, p]) => (p.pid === undefined ? [] : [{ name, pid: p.pid }]));
  }

  /**
   * The harness keeps every output line in memory for assertions; a load of
   * thousands of bundles would fill the benchmark's heap with log lines (they
   * are in the log files as well), so they are dropped as they come.
   */
  forgetOutput(): void {
    for (const p of this.processes.values()) p.output.length = 0;
  }

  /** The last output lines of a service, for error reports. */
  tail(name: ServiceName, lines = 20): string {
    return this.processes.get(name)?.tail(lines) ?? '';
  }

  /** Gateway first (no new submissions), then the authorities; SIGTERM with a grace period. */
  async stop(): Promise<void> {
    for (const name of [...SERVICES].reverse()) {
      await this.processes
        .get(name)
        ?.stop('SIGTERM', 20_000)
        .catch(logCleanupFailure(`stopping ${name}`));
    }
  }
}
