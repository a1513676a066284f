import { vehicle } from '@buergerservice/contracts';
import { type EventBus, OutboxRelay, KeyedLock } from '@buergerservice/event-bus';
import { createGrpcServer, type ServerSecurity } from '@buergerservice/service-kit';
import { createLogger, type Logger } from '@buergerservice/telemetry';
import type { Connection } from 'mongoose';
import { type Clock, systemClock, type VehicleAppDeps } from './app/ports.js';
import type { ServiceConfig } from './config.js';
import { vehicleSubscriptions } from './events/subscriptions.js';
import { mapDomainError } from './grpc/errors.js';
import { vehicleHandlers } from './grpc/handlers.js';
import { clientPolicy } from './grpc/policy.js';
import { ensureIndexes, type VehicleModels, vehicleModels } from './store/models.js';
import { MongoMoveRepository } from './store/move-repository.js';
import { MongoVehicleRepository } from './store/vehicle-repository.js';

/** The source (`ce_source`) of every event this service publishes. */
export const EVENT_SOURCE = '/buergerservice/vehicle';

export interface ServiceDeps {
  readonly config: ServiceConfig;
  /** An open connection to the service's own database. */
  readonly connection: Connection;
  /** The Kafka connection; its `source` should be EVENT_SOURCE. Owned (and disconnected) by the caller. */
  readonly bus: EventBus;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export interface VehicleService {
  readonly app: VehicleAppDeps;
  readonly models: VehicleModels;
  /** Creates indexes and topics, starts relay, consumer and gRPC server; returns the bound gRPC port. */
  start(): Promise<number>;
  /** Stops taking calls, lets the event in flight finish, publishes what is pending. Idempotent. */
  stop(): Promise<void>;
}

function serverSecurity(config: ServiceConfig): ServerSecurity {
  if (config.GRPC_INSECURE) return { insecure: true };
  // loadServiceConfig guarantees the files are set when GRPC_INSECURE is false.
  return {
    tls: { caFile: config.GRPC_TLS_CA ?? '', certFile: config.GRPC_TLS_CERT ?? '', keyFile: config.GRPC_TLS_KEY ?? '' },
  };
}

/** Builds the vehicle service from its dependencies (used by main.ts and by the integration tests). */
export function buildService(deps: ServiceDeps): VehicleService {
  const { config, bus } = deps;
  const logger = deps.logger ?? createLogger('vehicle');
  const models = vehicleModels(deps.connection);
  const app: VehicleAppDeps = {
    vehicles: new MongoVehicleRepository(models, config.VEHICLE_EVENTS_TOPIC),
    moves: new MongoMoveRepository(models, config.VEHICLE_EVENTS_TOPIC),
    clock: deps.clock ?? systemClock,
    jurisdiction: { municipalityKey: config.CITY_MUNICIPALITY_KEY, districtCode: config.CITY_DISTRICT_CODE },
    vehicleLocks: new KeyedLock(),
  };
  const relay = new OutboxRelay({
    bus,
    models: [models.Vehicles, models.Deregistrations, models.Moves],
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    logger: logger.child({ component: 'outbox-relay' }),
  });
  const outboxWritten = () => relay.kick();
  const consumer = bus.consumer({
    groupId: config.CONSUMER_GROUP,
    topics: [config.REGISTRATION_EVENTS_TOPIC],
    handlers: vehicleSubscriptions({ app, logger: logger.child({ component: 'events' }), outboxWritten }),
  });
  const server = createGrpcServer({
    host: config.HOST,
    security: serverSecurity(config),
    authorization: clientPolicy(config.CLIENT_POLICY),
    mapError: mapDomainError,
    logger: logger.child({ component: 'grpc' }),
  }).addService(
    vehicle.VehicleServiceService,
    vehicleHandlers({ app, defaultDistrict: config.CITY_DISTRICT_CODE, outboxWritten }),
  );

  let stopping: Promise<void> | undefined;
  return {
    app,
    models,
    async start() {
      await ensureIndexes(models);
      // The registration topic is created here too (if missing) so the
      // services can start in any order; an existing topic is left as it is.
      await bus.ensureTopics([config.VEHICLE_EVENTS_TOPIC, config.REGISTRATION_EVENTS_TOPIC], {
        partitions: config.KAFKA_TOPIC_PARTITIONS,
        deadLetterGroups: [config.CONSUMER_GROUP],
      });
      relay.start();
      await consumer.start();
      return server.start(config.PORT);
    },
    stop() {
      stopping ??= (async () => {
        // Commands first, then events; the relay last so that what the last
        // reactions wrote is still published.
        await server.stop({ graceMs: config.SHUTDOWN_GRACE_MS });
        await consumer.stop();
        await relay.stop();
      })();
      return stopping;
    },
  };
}
