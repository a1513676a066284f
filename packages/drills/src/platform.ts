import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ServiceProcess } from '@buergerservice/testing';

/** The five services, in start order: the authorities first, the gateway (their client and tracker) last. */
export const SERVICES = ['registration', 'vehicle', 'appointment', 'document', 'portal-gateway'] as const;
export type ServiceName = (typeof SERVICES)[number];
export type AuthorityName = Exclude<ServiceName, 'portal-gateway'>;

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

export interface PlatformSettings {
  readonly repoRoot: string;
  readonly kafkaBrokers: readonly string[];
  /** Server URL the services use (through the fault proxy), without a database name. */
  readonly mongoUrl: string;
  /** Server URL straight to the database (seeds), without a database name. */
  readonly directMongoUrl: string;
  readonly baseEnv: Record<string, string>;
  readonly logLevel: string;
  /** The gateway's sign-in settings (the drills' issuer). */
  readonly gatewayAuthEnv: Record<string, string>;
  /** Prefix of every service's database name (tests: a unique one per file). */
  readonly databasePrefix?: string;
  /** Built entry points to use instead of services/<name>/dist/main.js (e.g. a branch build). */
  readonly entryOverrides?: Partial<Record<ServiceName, string>>;
  /** Extra variables per service (e.g. mTLS files). */
  readonly extraEnv?: Partial<Record<ServiceName, Record<string, string>>>;
}

export interface PlatformPorts {
  readonly service: Readonly<Record<ServiceName, number>>;
  readonly metrics: Readonly<Record<ServiceName, number>>;
}

export async function allocatePorts(): Promise<PlatformPorts> {
  const service: Record<string, number> = {};
  const metrics: Record<string, number> = {};
  for (const name of SERVICES) {
    service[name] = await freePort();
    metrics[name] = await freePort();
  }
  return { service: service as Record<ServiceName, number>, metrics: metrics as Record<ServiceName, number> };
}

function withDatabase(serverUrl: string, database: string): string {
  // directConnection: the services must talk to the one server behind the proxy, never discover others.
  return `${serverUrl.replace(/\/+$/, '')}/${database}?directConnection=true`;
}

/** The environment of one service, as infra/scripts/run-platform.js starts the platform, with the drills' issuer. */
export function serviceEnv(
  settings: PlatformSettings,
  ports: PlatformPorts,
  name: ServiceName,
): Record<string, string> {
  const env: Record<string, string> = {
    ...settings.baseEnv,
    NODE_ENV: 'production',
    PORT: String(ports.service[name]),
    HOST: '127.0.0.1',
    MONGO_URL: withDatabase(settings.mongoUrl, `${settings.databasePrefix ?? ''}${name}`),
    KAFKA_BROKERS: settings.kafkaBrokers.join(','),
    GRPC_INSECURE: 'true',
    OTEL_SERVICE_NAME: name,
    METRICS_PORT: String(ports.metrics[name]),
    LOG_LEVEL: settings.logLevel,
    REGISTRATION_GRPC_ADDRESS: `127.0.0.1:${ports.service.registration}`,
    VEHICLE_GRPC_ADDRESS: `127.0.0.1:${ports.service.vehicle}`,
    APPOINTMENT_GRPC_ADDRESS: `127.0.0.1:${ports.service.appointment}`,
    DOCUMENT_GRPC_ADDRESS: `127.0.0.1:${ports.service.document}`,
  };
  if (name === 'portal-gateway') {
    Object.assign(env, settings.gatewayAuthEnv, {
      PUBLIC_URL: `http://127.0.0.1:${ports.service[name]}`,
      // One client address sends every citizen's requests: limits far above the drill's load.
      RATE_LIMIT_PER_IP_PER_MINUTE: '100000000',
      RATE_LIMIT_PER_CITIZEN_PER_MINUTE: '1000000',
      RATE_LIMIT_BUNDLES_PER_HOUR: '1000000',
    });
  }
  if (name === 'document') {
    env.DOCUMENT_DEV_SIGNING_KEY = 'true';
    env.SIGNING_DEV_KEY = 'true';
  }
  return { ...env, ...settings.extraEnv?.[name] };
}

/** Runs `node services/<name>/dist/seed.js --persons N --vehicles M` against the database directly. */
export async function seedAll(
  settings: PlatformSettings,
  ports: PlatformPorts,
  size: { persons: number; vehicles: number },
): Promise<ServiceName[]> {
  const seeded: ServiceName[] = [];
  for (const name of SERVICES) {
    const script = path.join(settings.repoRoot, 'services', name, 'dist', 'seed.js');
    if (!fs.existsSync(script)) continue;
    const env = {
      ...serviceEnv(settings, ports, name),
      MONGO_URL: withDatabase(settings.directMongoUrl, `${settings.databasePrefix ?? ''}${name}`),
    };
    const run = (args: string[]) =>
      new Promise<void>((resolve, reject) => {
        execFile(
          process.execPath,
          [script, ...args],
          { cwd: path.dirname(path.dirname(script)), env, timeout: 600_000, maxBuffer: 32 * 1024 * 1024 },
          (error, _stdout, stderr) =>
            error ? reject(new Error(`seeding ${name} failed: ${stderr.slice(-2_000)}`, { cause: error })) : resolve(),
        );
      });
    const persons = ['--persons', String(size.persons)];
    try {
      await run([...persons, '--vehicles', String(size.vehicles)]);
    } catch (error) {
      // A service that owns no vehicles refuses the option; the platform's seed convention allows that.
      if (!(error instanceof Error && /unknown option '?--vehicles/i.test(error.message))) throw error;
      await run(persons);
    }
    seeded.push(name);
  }
  return seeded;
}

/** The five services running as child processes, as in production. */
export class Platform {
  private constructor(
    readonly processes: ReadonlyMap<ServiceName, ServiceProcess>,
    readonly ports: PlatformPorts,
  ) {}

  static async start(
    settings: PlatformSettings,
    ports: PlatformPorts,
    only: readonly ServiceName[] = SERVICES,
  ): Promise<Platform> {
    const processes = new Map<ServiceName, ServiceProcess>();
    try {
      for (const name of SERVICES.filter((s) => only.includes(s))) {
        const service = new ServiceProcess({
          name,
          entry: settings.entryOverrides?.[name] ?? path.join(settings.repoRoot, 'services', name, 'dist', 'main.js'),
          cwd: path.join(settings.repoRoot, 'services', name),
          nodeArgs: ['--require', '@buergerservice/telemetry/register'],
          env: serviceEnv(settings, ports, name),
          readyTimeoutMs: 90_000,
        });
        processes.set(name, service);
        await service.start();
      }
    } catch (error) {
      await Promise.all([...processes.values()].map((p) => p.stop('SIGKILL')));
      throw error;
    }
    return new Platform(processes, ports);
  }

  service(name: ServiceName): ServiceProcess {
    const p = this.processes.get(name);
    if (!p) throw new Error(`${name} is not running`);
    return p;
  }

  get gatewayUrl(): string {
    return `http://127.0.0.1:${this.ports.service['portal-gateway']}`;
  }

  /** Output lines are kept on disk (log files); memory would fill during a long drill. */
  forgetOutput(): void {
    for (const p of this.processes.values()) p.output.length = 0;
  }

  /**
   * Sum of a gauge over every service's Prometheus endpoint (e.g. the
   * outbox backlog); undefined when no service exposes it.
   */
  async gaugeSum(metric: string): Promise<number | undefined> {
    let sum: number | undefined;
    for (const name of this.processes.keys()) {
      try {
        const response = await fetch(`http://127.0.0.1:${this.ports.metrics[name]}/metrics`, {
          signal: AbortSignal.timeout(3_000),
        });
        const text = await response.text();
        for (const line of text.split('\n')) {
          if (!line.startsWith(metric)) continue;
          const value = Number(line.slice(line.lastIndexOf(' ') + 1));
          if (Number.isFinite(value)) sum = (sum ?? 0) + value;
        }
      } catch {
        // A service without metrics contributes nothing.
      }
    }
    return sum;
  }

  /** SIGTERM to each service (gateway first), SIGKILL after `graceMs` if it has not ended by then. */
  async stop(graceMs = 20_000): Promise<void> {
    for (const name of [...SERVICES].reverse()) await this.processes.get(name)?.stop('SIGTERM', graceMs);
  }
}
