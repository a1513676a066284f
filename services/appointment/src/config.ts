import { authorityServiceSettings, envInt, envList, loadConfig, requireGrpcTls, z } from '@buergerservice/config';
import { Topics } from '@buergerservice/contracts';
import { DEFAULT_INTERPRETER_LANGUAGES } from './interpreter-languages.js';

/** The appointment service's configuration, read once at start-up from the environment. */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(
    {
      /** gRPC server, database (mongodb://…/appointment), Kafka, mTLS; CLIENT_POLICY unset = src/policy.ts. */
      ...authorityServiceSettings({ port: 50053 }),
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
  requireGrpcTls(config);
  return config;
}

export type ServiceConfig = ReturnType<typeof loadServiceConfig>;

/** What the seed command needs: only the database. */
export { loadDatabaseConfig as loadSeedConfig } from '@buergerservice/config';
