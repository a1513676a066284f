import { ConfigError, envBool, envInt, envList, envPort, loadConfig, z } from '@buergerservice/config';
import { Topics } from '@buergerservice/contracts';
import { DEFAULT_INTERPRETER_LANGUAGES } from './interpreter-languages.js';

/** The appointment service's configuration, read once at start-up from the environment. */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(
    {
      /** Port of the gRPC server (0 = any free port). */
      PORT: envPort().default(50053),
      /** Interface to bind; loopback unless deployed. */
      HOST: z.string().default('127.0.0.1'),
      /** The service's own database, e.g. mongodb://127.0.0.1:27017/appointment. */
      MONGO_URL: z.string().regex(/^mongodb:\/\//, 'must be a mongodb:// URL'),
      /** Kafka bootstrap brokers, comma-separated host:port. */
      KAFKA_BROKERS: envList().refine((list) => list.length > 0, 'at least one broker'),
      /** Partitions of topics this service creates when they are missing. */
      KAFKA_TOPIC_PARTITIONS: envInt({ min: 1, max: 1000 }).default(3),
      /** Plaintext gRPC with the client named in `x-client-id`: local development and tests only. */
      GRPC_INSECURE: envBool().default(false),
      GRPC_TLS_CA: z.string().optional(),
      GRPC_TLS_CERT: z.string().optional(),
      GRPC_TLS_KEY: z.string().optional(),
      /** JSON file with the per-client authorization policy; unset = the built-in policy (src/policy.ts). */
      CLIENT_POLICY: z.string().optional(),
      /** How many days ahead appointments can be booked. */
      BOOKING_HORIZON_DAYS: envInt({ min: 1, max: 366 }).default(90),
      /** How soon an appointment can start after it is booked. */
      BOOKING_MIN_LEAD_MINUTES: envInt({ min: 0, max: 10_080 }).default(60),
      /** ISO 639-1 codes of the video-interpreting languages. */
      INTERPRETER_LANGUAGES: envList()
        .refine((codes) => codes.every((c) => /^[a-z]{2}$/.test(c)), 'ISO 639-1 codes (two lower-case letters)')
        .default([...DEFAULT_INTERPRETER_LANGUAGES]),
      /** The service booked after a move for the ID-card address sticker. */
      MOVE_SERVICE_ID: z.string().min(1).default('personalausweis-adressaenderung'),
      /** How many locations nearest to a new address count as "near". */
      NEAR_LOCATIONS: envInt({ min: 1, max: 50 }).default(3),
      /** How many slots AppointmentOffered carries. */
      OFFER_COUNT: envInt({ min: 1, max: 20 }).default(3),
      /** After how long an unfinished reservation or reschedule is given up by the sweeper. */
      STALE_RESERVATION_SECONDS: envInt({ min: 5, max: 3600 }).default(60),
      /** How often the sweeper runs. */
      SWEEP_INTERVAL_SECONDS: envInt({ min: 1, max: 3600 }).default(30),
      /** How long the catalogue (locations, services, closures) is cached before it is read again. */
      CATALOGUE_REFRESH_SECONDS: envInt({ min: 0, max: 86_400 }).default(60),
      /** Topic this service publishes to. */
      APPOINTMENT_EVENTS_TOPIC: z.string().min(1).default(Topics.appointment),
      /** Topic of registration's events this service consumes. */
      REGISTRATION_EVENTS_TOPIC: z.string().min(1).default(Topics.registration),
      /** Consumer group; its dead-letter topic is `<group>.dlq`. */
      CONSUMER_GROUP: z.string().min(1).default('appointment'),
      /** Pause of the outbox relay when nothing is pending. */
      OUTBOX_POLL_MS: envInt({ min: 10, max: 60_000 }).default(500),
      /** On shutdown: how long to answer NOT_SERVING before refusing calls, and how long calls may finish. */
      SHUTDOWN_DRAIN_MS: envInt({ min: 0, max: 60_000 }).default(0),
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
