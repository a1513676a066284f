import path from 'node:path';
import { sharedInfra, TestIssuer, uniqueName } from '@buergerservice/testing';
import { loadDrillsConfig } from '../../src/config.js';
import { allocatePorts, Platform, type PlatformSettings, type ServiceName, seedAll } from '../../src/platform.js';

export interface RunningPlatform {
  readonly platform: Platform;
  readonly issuer: TestIssuer;
  readonly settings: PlatformSettings;
  stop(): Promise<void>;
}

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

/** The five services as real processes on the shared test infrastructure, seeded, with fresh databases. */
export async function startPlatform(
  options: {
    persons?: number;
    vehicles?: number;
    extraEnv?: Partial<Record<ServiceName, Record<string, string>>>;
    /** Default: all five. */
    only?: readonly ServiceName[];
  } = {},
): Promise<RunningPlatform> {
  const infra = sharedInfra();
  const issuer = await TestIssuer.start();
  const settings: PlatformSettings = {
    repoRoot,
    kafkaBrokers: infra.kafkaBrokers,
    mongoUrl: infra.mongoUrl,
    directMongoUrl: infra.mongoUrl,
    baseEnv: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/tmp' },
    logLevel: 'info',
    gatewayAuthEnv: issuer.gatewayEnv(),
    databasePrefix: `${uniqueName('drill')}-`,
    // DRILLS_ENTRY_OVERRIDES: run a service from a build other than its dist/ (e.g. while its dist/ is stale).
    entryOverrides: loadDrillsConfig().entryOverrides,
    ...(options.extraEnv ? { extraEnv: options.extraEnv } : {}),
  };
  const ports = await allocatePorts();
  await seedAll(settings, ports, { persons: options.persons ?? 60, vehicles: options.vehicles ?? 30 });
  let platform: Platform;
  try {
    platform = await Platform.start(settings, ports, options.only);
  } catch (error) {
    await issuer.stop();
    throw error;
  }
  return {
    platform,
    issuer,
    settings,
    stop: async () => {
      await platform.stop();
      await issuer.stop();
    },
  };
}

/** True while the process with that id exists. */
export function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
