import { infraEnv, type StartedInfra, startInfra } from './infra.js';
import { sharedInfraConfig } from './config.js';

/**
 * Jest global setup: starts Kafka and the database once per run, unless the
 * README's test command already started them for every package (then the
 * BUERGERSERVICE_TEST_* variables are set and are simply reused).
 */
export default async function globalSetup(): Promise<void> {
  if (sharedInfraConfig().BUERGERSERVICE_TEST_KAFKA_BROKERS) return;
  const infra = await startInfra();
  // Test workers are forked after the global setup, so they inherit these.
  Object.assign(process.env, infraEnv(infra));
  (globalThis as { __buergerserviceInfra?: StartedInfra }).__buergerserviceInfra = infra;
  process.stderr.write(
    `\ntest infrastructure (${infra.images.flavour} images: ${infra.images.kafka}, ${infra.images.database}) started in ${infra.startSeconds.toFixed(1)} s\n`,
  );
}
