import { authorityServiceSettings, envInt, loadConfig, requireGrpcTls, z } from '@buergerservice/config';
import { Topics } from '@buergerservice/contracts';

/** The vehicle service's configuration, read once at start-up from the environment. */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(
    {
      /** gRPC server, database (mongodb://…/vehicle), Kafka, mTLS; CLIENT_POLICY unset = grpc/policy.ts. */
      ...authorityServiceSettings({ port: 50052 }),
      /** Consumer group; its dead-letter topic is `<group>.dlq`. */
      CONSUMER_GROUP: z.string().min(1).default('vehicle'),
      /** Topic of the registration office's events (consumed). */
      REGISTRATION_EVENTS_TOPIC: z.string().min(1).default(Topics.registration),
      /** Topic of this service's events (published through the outbox). */
      VEHICLE_EVENTS_TOPIC: z.string().min(1).default(Topics.vehicle),
      /** How often the outbox relay looks for pending events when nobody woke it. */
      OUTBOX_POLL_INTERVAL_MS: envInt({ min: 10, max: 60_000 }).default(500),
      /** The city's official municipality key (AGS): addresses with it lie in the registration district. */
      CITY_MUNICIPALITY_KEY: z
        .string()
        .regex(/^[0-9]{8}$/, 'must be eight digits')
        .default('14713000'),
      /** District code (Unterscheidungszeichen) of the city's registration district. */
      CITY_DISTRICT_CODE: z
        .string()
        .regex(/^[A-ZÄÖÜ]{1,3}$/, 'must be 1-3 capital letters')
        .default('L'),
      /** How long SIGTERM waits for running calls before cancelling them. */
      SHUTDOWN_GRACE_MS: envInt({ min: 0, max: 120_000 }).default(10_000),
    },
    env,
  );
  requireGrpcTls(config);
  return config;
}

export type ServiceConfig = ReturnType<typeof loadServiceConfig>;

/** What the seed command needs: only the database. */
export { loadDatabaseConfig as loadSeedConfig } from '@buergerservice/config';
