import { ConfigError, envBool, envInt, envList, envPort, loadConfig, z } from '@buergerservice/config';
import { Topics } from '@buergerservice/contracts';

/** The vehicle service's configuration, read once at start-up from the environment. */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(
    {
      /** Port of the gRPC server (0 = any free port). */
      PORT: envPort().default(50052),
      /** Interface to bind; loopback unless deployed. */
      HOST: z.string().default('127.0.0.1'),
      /** The service's own database, e.g. mongodb://127.0.0.1:27017/vehicle. */
      MONGO_URL: z.string().regex(/^mongodb:\/\//, 'must be a mongodb:// URL'),
      /** Kafka bootstrap brokers, comma-separated host:port. */
      KAFKA_BROKERS: envList().refine((list) => list.length > 0, 'at least one broker'),
      /** Partitions of topics this service creates (its own events topic). */
      KAFKA_TOPIC_PARTITIONS: envInt({ min: 1, max: 1000 }).default(3),
      /** Plaintext gRPC with the client id from `x-client-id`: local development and tests only. */
      GRPC_INSECURE: envBool().default(false),
      /** mTLS: the city CA, this server's certificate and key (PEM files); required unless GRPC_INSECURE. */
      GRPC_TLS_CA: z.string().optional(),
      GRPC_TLS_CERT: z.string().optional(),
      GRPC_TLS_KEY: z.string().optional(),
      /** Per-client authorization policy (JSON file, service-kit format); unset = the built-in policy (grpc/policy.ts). */
      CLIENT_POLICY: z.string().optional(),
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
  if (!config.GRPC_INSECURE) {
    const missing = (['GRPC_TLS_CA', 'GRPC_TLS_CERT', 'GRPC_TLS_KEY'] as const).filter((name) => !config[name]);
    if (missing.length > 0) {
      const problems = missing.map((variable) => ({ variable, message: 'required unless GRPC_INSECURE=true' }));
      throw new ConfigError(
        `Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`,
        problems,
      );
    }
  }
  return config;
}

export type ServiceConfig = ReturnType<typeof loadServiceConfig>;

/** What the seed command needs: only the database. */
export function loadSeedConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig({ MONGO_URL: z.string().regex(/^mongodb:\/\//, 'must be a mongodb:// URL') }, env);
}
