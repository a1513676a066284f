import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ServiceProcess } from '@buergerservice/testing';

/**
 * The five services as real child processes (`node --require
 * @buergerservice/telemetry/register dist/main.js`), as in production:
 * plaintext gRPC with client identities in metadata, the development issuer
 * at the gateway, every process exporting its spans to the test's OTLP receiver.
 */

export const AUTHORITIES = ['registration', 'vehicle', 'appointment', 'document'] as const;
export type ServiceName = (typeof AUTHORITIES)[number] | 'portal-gateway';

const REPO = path.resolve(__dirname, '../../../..');

async function freePort(): Promise<number> {
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

export interface RunningPlatform {
  readonly gatewayUrl: string;
  readonly ports: Readonly<Record<ServiceName, number>>;
  readonly processes: ReadonlyMap<ServiceName, ServiceProcess>;
  stop(): Promise<void>;
}

export interface OwnInfra {
  readonly kafkaBrokers: readonly string[];
  /** Server URL without a database name. */
  readonly mongoUrl: string;
  stop(): Promise<void>;
}

const TEST_INFRA_CLI = path.join(REPO, 'packages', 'testing', 'dist', 'cli.js');

function runCli(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // The harness's CLI runs outside jest's module sandbox (testcontainers loads kafkajs dynamically).
    execFile(
      process.execPath,
      [TEST_INFRA_CLI, ...args],
      { env: process.env, timeout: 300_000 },
      (error, _out, stderr) =>
        error
          ? reject(new Error(`test infrastructure ${args[0]} failed: ${stderr.slice(-2_000)}`, { cause: error }))
          : resolve(),
    );
  });
}

/**
 * A Kafka broker and a FerretDB of the end-to-end tests' own. The services'
 * consumer groups have fixed names and read from the beginning; on the shared
 * broker they would first work through every other test's events (and act on
 * them), so the whole platform gets a clean pair, removed afterwards.
 */
export async function startOwnInfra(): Promise<OwnInfra> {
  const file = path.join(os.tmpdir(), `portal-gateway-e2e-${randomBytes(6).toString('hex')}.env`);
  await runCli(['up', '--write-env', file]);
  const values = Object.fromEntries(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const brokers = values.BUERGERSERVICE_TEST_KAFKA_BROKERS;
  const mongoUrl = values.BUERGERSERVICE_TEST_MONGO_URL;
  if (!brokers || !mongoUrl) throw new Error(`no infrastructure endpoints in ${file}`);
  return {
    kafkaBrokers: brokers.split(','),
    mongoUrl,
    stop: () => runCli(['down', '--write-env', file]),
  };
}

export interface PlatformOptions {
  readonly infra: Pick<OwnInfra, 'kafkaBrokers' | 'mongoUrl'>;
  /** OTLP/HTTP endpoint every process exports its spans to. */
  readonly otlpEndpoint: string;
  readonly persons?: number;
  readonly vehicles?: number;
  readonly gatewayEnv?: Record<string, string>;
}

function env(options: PlatformOptions, ports: Record<ServiceName, number>, name: ServiceName): Record<string, string> {
  const base: Record<string, string> = {
    NODE_ENV: 'production',
    PORT: String(ports[name]),
    HOST: '127.0.0.1',
    MONGO_URL: `${options.infra.mongoUrl}/${name}`,
    KAFKA_BROKERS: options.infra.kafkaBrokers.join(','),
    GRPC_INSECURE: 'true',
    OTEL_SERVICE_NAME: name,
    OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint,
    LOG_LEVEL: 'info',
    REGISTRATION_GRPC_ADDRESS: `127.0.0.1:${ports.registration}`,
    VEHICLE_GRPC_ADDRESS: `127.0.0.1:${ports.vehicle}`,
    APPOINTMENT_GRPC_ADDRESS: `127.0.0.1:${ports.appointment}`,
    DOCUMENT_GRPC_ADDRESS: `127.0.0.1:${ports.document}`,
  };
  if (name === 'document') base.SIGNING_DEV_KEY = 'true';
  if (name === 'portal-gateway') {
    Object.assign(base, {
      DEV_ISSUER_ENABLED: 'true',
      STREAM_TICKET_SECRET: 'end-to-end-test-secret-of-sufficient-length',
      // One loopback address sends every test request.
      RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
      RATE_LIMIT_PER_CITIZEN_PER_MINUTE: '100000',
      RATE_LIMIT_BUNDLES_PER_HOUR: '100000',
      ...options.gatewayEnv,
    });
  }
  return base;
}

function runSeed(name: ServiceName, environment: Record<string, string>, args: string[]): Promise<void> {
  const script = path.join(REPO, 'services', name, 'dist', 'seed.js');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [script, ...args],
      {
        cwd: path.join(REPO, 'services', name),
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...environment },
        timeout: 300_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, _stdout, stderr) =>
        error ? reject(new Error(`seeding ${name} failed: ${stderr.slice(-2_000)}`, { cause: error })) : resolve(),
    );
  });
}

/** Seeds the authorities from @buergerservice/demo-data and starts all five; the gateway last. */
export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const ports = {} as Record<ServiceName, number>;
  for (const name of [...AUTHORITIES, 'portal-gateway'] as const) ports[name] = await freePort();
  for (const name of ['registration', 'vehicle', 'appointment'] as const) {
    await runSeed(name, env(options, ports, name), [
      '--persons',
      String(options.persons ?? 20),
      '--vehicles',
      String(options.vehicles ?? 4),
    ]);
  }
  const processes = new Map<ServiceName, ServiceProcess>();
  try {
    for (const name of [...AUTHORITIES, 'portal-gateway'] as const) {
      const service = new ServiceProcess({
        name,
        entry: path.join(REPO, 'services', name, 'dist', 'main.js'),
        cwd: path.join(REPO, 'services', name),
        nodeArgs: ['--enable-source-maps', '--require', '@buergerservice/telemetry/register'],
        env: env(options, ports, name),
        readyTimeoutMs: 120_000,
      });
      processes.set(name, service);
      await service.start();
    }
  } catch (error) {
    await Promise.all([...processes.values()].map((p) => p.stop('SIGKILL')));
    throw error;
  }
  return {
    gatewayUrl: `http://127.0.0.1:${ports['portal-gateway']}`,
    ports,
    processes,
    async stop() {
      // The gateway first (it calls the others), then the authorities.
      await processes.get('portal-gateway')?.stop();
      await Promise.all(AUTHORITIES.map((name) => processes.get(name)?.stop()));
    },
  };
}
