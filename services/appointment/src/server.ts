import { randomBytes } from 'node:crypto';
import { appointment } from '@buergerservice/contracts';
import { type EventBus, type EventConsumer, OutboxRelay } from '@buergerservice/event-bus';
import { createGrpcServer, type GrpcServer } from '@buergerservice/service-kit';
import { createLogger, type Logger } from '@buergerservice/telemetry';
import type { Connection } from 'mongoose';
import type { AppDeps, Clock } from './app/ports.js';
import { releaseStaleReservations } from './app/release-stale-reservations.js';
import type { ServiceConfig } from './config.js';
import type { RandomBytes } from './domain/codes.js';
import { subscriptions } from './events/subscriptions.js';
import { mapError } from './grpc/errors.js';
import { appointmentHandlers } from './grpc/handlers.js';
import { clientPolicy } from './policy.js';
import { MongoCapacity } from './store/capacity.js';
import { MongoCatalogue } from './store/catalogue.js';
import { MongoAppointments, MongoInvitations, MongoMoves } from './store/repositories.js';
import { appointmentModels } from './store/schemas.js';

export interface ServiceDeps {
  config: ServiceConfig;
  /** A connection to the service's own database. */
  connection: Connection;
  bus: EventBus;
  clock?: Clock;
  random?: RandomBytes;
  logger?: Logger;
}

export interface AppointmentService {
  /** Starts everything; resolves with the bound gRPC port once the service is ready. */
  start(): Promise<{ port: number }>;
  /** Stops serving and consuming gracefully; the caller closes the connection and the bus afterwards. */
  stop(): Promise<void>;
  /** The use cases' dependencies (for tests and tools). */
  readonly app: AppDeps;
}

/** Builds the service from its dependencies: used by main.ts and by the integration tests. */
export function buildService(deps: ServiceDeps): AppointmentService {
  const { config, connection, bus } = deps;
  const logger = deps.logger ?? createLogger('appointment');
  const models = appointmentModels(connection);
  const relay = new OutboxRelay({
    bus,
    models: [models.appointments, models.moves],
    pollIntervalMs: config.OUTBOX_POLL_MS,
    name: 'appointment',
    logger: logger.child({ component: 'outbox-relay' }),
  });
  const kick = () => relay.kick();
  const catalogue = new MongoCatalogue(models, config.CATALOGUE_REFRESH_SECONDS * 1000, logger);
  const app: AppDeps = {
    appointments: new MongoAppointments(models, config.APPOINTMENT_EVENTS_TOPIC, kick),
    moves: new MongoMoves(models, config.APPOINTMENT_EVENTS_TOPIC, kick),
    invitations: new MongoInvitations(models),
    capacity: new MongoCapacity(models),
    catalogue,
    clock: deps.clock ?? { now: () => new Date() },
    random: deps.random ?? ((count) => randomBytes(count)),
    settings: {
      window: { horizonDays: config.BOOKING_HORIZON_DAYS, minLeadMinutes: config.BOOKING_MIN_LEAD_MINUTES },
      interpreterLanguages: config.INTERPRETER_LANGUAGES,
      moveServiceId: config.MOVE_SERVICE_ID,
      nearLocations: config.NEAR_LOCATIONS,
      offerCount: config.OFFER_COUNT,
      staleAfterMs: config.STALE_RESERVATION_SECONDS * 1000,
    },
    logger,
  };

  let server: GrpcServer | undefined;
  let consumer: EventConsumer | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> = Promise.resolve();

  const sweep = () => {
    // One sweep at a time; a failed sweep is logged and tried again on the next tick.
    sweeping = sweeping.then(async () => {
      try {
        await releaseStaleReservations(app);
      } catch (error) {
        logger.error({ err: error }, 'sweeping unfinished appointments failed');
      }
    });
  };

  return {
    app,
    async start() {
      await Promise.all(Object.values(models).map((model) => model.init()));
      const loaded = await catalogue.load();
      if (loaded.catalogue.locations.length === 0) {
        logger.warn('the catalogue is empty: run the seed (node dist/seed.js) to load locations and services');
      } else if (!loaded.service(config.MOVE_SERVICE_ID)) {
        logger.warn({ serviceId: config.MOVE_SERVICE_ID }, 'the move service is not in the catalogue');
      }
      await bus.ensureTopics([config.APPOINTMENT_EVENTS_TOPIC, config.REGISTRATION_EVENTS_TOPIC], {
        partitions: config.KAFKA_TOPIC_PARTITIONS,
        deadLetterGroups: [config.CONSUMER_GROUP],
      });
      relay.start();
      consumer = bus.consumer({
        groupId: config.CONSUMER_GROUP,
        topics: [config.REGISTRATION_EVENTS_TOPIC],
        handlers: subscriptions(app),
      });
      await consumer.start();
      sweeper = setInterval(sweep, config.SWEEP_INTERVAL_SECONDS * 1000);
      server = createGrpcServer({
        host: config.HOST,
        security: config.GRPC_INSECURE
          ? { insecure: true }
          : {
              tls: {
                caFile: config.GRPC_TLS_CA ?? '',
                certFile: config.GRPC_TLS_CERT ?? '',
                keyFile: config.GRPC_TLS_KEY ?? '',
              },
            },
        authorization: clientPolicy(config.CLIENT_POLICY),
        mapError,
        logger: logger.child({ component: 'grpc' }),
      }).addService(appointment.AppointmentServiceService, appointmentHandlers(app));
      const port = await server.start(config.PORT);
      return { port };
    },
    async stop() {
      await server?.stop({ drainMs: config.SHUTDOWN_DRAIN_MS, graceMs: config.SHUTDOWN_GRACE_MS });
      await consumer?.stop();
      clearInterval(sweeper);
      await sweeping;
      await relay.stop();
    },
  };
}
