import { loadConfig, z } from '@buergerservice/config';

/**
 * Where the shared test infrastructure is. Set by the jest global setup (or
 * `buergerservice-test-infra up`, which the README's test command runs once
 * for all packages) and read by the helpers in test workers.
 */
export function sharedInfraConfig() {
  return loadConfig({
    BUERGERSERVICE_TEST_KAFKA_BROKERS: z.string().optional(),
    BUERGERSERVICE_TEST_MONGO_URL: z.string().optional(),
    BUERGERSERVICE_TEST_KAFKA_CONTAINER: z.string().optional(),
    BUERGERSERVICE_TEST_DATABASE_CONTAINER: z.string().optional(),
  });
}

/** Image selection: "auto" uses the local air-gapped images when built, the official ones otherwise. */
export function imageConfig() {
  return loadConfig({
    BUERGERSERVICE_IMAGE_FLAVOUR: z.enum(['auto', 'local', 'official']).default('auto'),
    BUERGERSERVICE_KAFKA_IMAGE: z.string().optional(),
    BUERGERSERVICE_DATABASE_IMAGE: z.string().optional(),
  });
}
