import type { StartedInfra } from './infra.js';

/** Jest global teardown: stops what the global setup started (nothing when the infrastructure was shared). */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { __buergerserviceInfra?: StartedInfra };
  await holder.__buergerserviceInfra?.stop();
  holder.__buergerserviceInfra = undefined;
}
