import { registration, Topics } from '@buergerservice/contracts';
import { type EventBus, OutboxRelay } from '@buergerservice/event-bus';
import {
  type AuthorizationPolicy,
  createGrpcServer,
  loadAuthorizationPolicy,
  type ServerSecurity,
} from '@buergerservice/service-kit';
import { createLogger, type Logger } from '@buergerservice/telemetry';
import type { Connection } from 'mongoose';
import type { RegistrationDeps } from './app/ports.js';
import type { ServiceConfig } from './config.js';
import { type Clock, systemClock } from './domain/clock.js';
import { moveEvents } from './events/outgoing.js';
import { logTransmissions } from './events/transmission-log.js';
import { mapDomainError } from './grpc/errors.js';
import { registrationHandlers } from './grpc/handlers.js';
import { defaultClientPolicy } from './grpc/policy.js';
import { AuditPurgeJob } from './jobs/audit-purge-job.js';
import { MongoAuditLog } from './store/audit-log.js';
import { ensureIndexes, registrationModels } from './store/models.js';
import { MongoMoveRepository } from './store/move-repository.js';
import { MongoMoveSlots, MongoPersonRepository, MongoStreetDirectory } from './store/person-repository.js';

export interface ServiceDependencies {
  readonly config: ServiceConfig;
  /** A connection to the service's own database. */
  readonly connection: Connection;
  readonly bus: EventBus;
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
  /** The event topic; tests pass a fresh one. Default registration.events.v1. */
  readonly topic?: string | undefined;
}

export interface RegistrationService {
  /** Creates indexes and the topic, starts the relay, the purge job and the gRPC server; returns the bound port. */
  start(): Promise<{ port: number }>;
  /** Stops taking calls, lets running calls finish, then stops relay and purge job. Idempotent. */
  stop(): Promise<void>;
  /** The use cases' dependencies, for tests and tools. */
  readonly app: RegistrationDeps;
  readonly relay: OutboxRelay;
}

export function serverSecurity(config: ServiceConfig): ServerSecurity {
  if (config.GRPC_INSECURE) return { insecure: true };
  const { GRPC_TLS_CA, GRPC_TLS_CERT, GRPC_TLS_KEY } = config;
  if (!GRPC_TLS_CA || !GRPC_TLS_CERT || !GRPC_TLS_KEY) throw new Error('mTLS files missing (see loadServiceConfig)');
  return { tls: { caFile: GRPC_TLS_CA, certFile: GRPC_TLS_CERT, keyFile: GRPC_TLS_KEY } };
}

export function clientPolicy(config: ServiceConfig): AuthorizationPolicy {
  return config.CLIENT_POLICY ? loadAuthorizationPolicy(config.CLIENT_POLICY) : defaultClientPolicy;
}

/** Builds the registration service from its dependencies (used by main and by the integration tests). */
export function buildService(deps: ServiceDependencies): RegistrationService {
  const { config, bus } = deps;
  const logger = deps.logger ?? createLogger('registration');
  const models = registrationModels(deps.connection);
  const topic = deps.topic ?? Topics.registration;
  let relay: OutboxRelay | undefined;

  const app: RegistrationDeps = {
    persons: new MongoPersonRepository(models),
    slots: new MongoMoveSlots(models),
    streets: new MongoStreetDirectory(models),
    moves: new MongoMoveRepository(models),
    audit: new MongoAuditLog(models),
    events: moveEvents({ topic }),
    clock: deps.clock ?? systemClock,
    eventsWritten: () => relay?.kick(),
    warn: (context, message) => logger.warn(context, message),
  };
  relay = new OutboxRelay({
    bus,
    models: [models.Move, models.Revocation],
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    onPublished: logTransmissions(app, config.AUDIT_EVENT_RECIPIENTS),
    logger: logger.child({ component: 'outbox-relay' }),
  });
  const purgeJob = new AuditPurgeJob(app, config.AUDIT_PURGE_INTERVAL_MS, logger.child({ component: 'audit-purge' }));
  const server = createGrpcServer({
    host: config.HOST,
    security: serverSecurity(config),
    authorization: clientPolicy(config),
    mapError: mapDomainError,
    logger: logger.child({ component: 'grpc' }),
  }).addService(
    registration.RegistrationServiceService,
    registrationHandlers(app, { auditQueryScopes: config.AUDIT_QUERY_SCOPES }),
  );

  let stopped: Promise<void> | undefined;
  const startedRelay = relay;
  return {
    app,
    relay: startedRelay,
    async start() {
      await ensureIndexes(models);
      await bus.ensureTopics([topic], { partitions: config.KAFKA_TOPIC_PARTITIONS });
      startedRelay.start();
      purgeJob.start();
      return { port: await server.start(config.PORT) };
    },
    stop() {
      stopped ??= (async () => {
        await server.stop({ graceMs: config.SHUTDOWN_GRACE_MS });
        await startedRelay.stop();
        await purgeJob.stop();
      })();
      return stopped;
    },
  };
}
