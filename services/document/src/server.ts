import { Topics, document } from '@buergerservice/contracts';
import { type EventBus, type EventConsumer, OutboxRelay } from '@buergerservice/event-bus';
import {
  type AuthorizationPolicy,
  createGrpcServer,
  type GrpcServer,
  loadAuthorizationPolicy,
  type ServerSecurity,
} from '@buergerservice/service-kit';
import type { Logger } from '@buergerservice/telemetry';
import type { Connection } from 'mongoose';
import type { Clock, DocumentAppDeps } from './app/ports.js';
import type { ServiceConfig } from './config.js';
import type { KeyRing } from './domain/signing.js';
import type { RandomBytes } from './domain/verification-code.js';
import { encodeDocumentEvent } from './events/codec.js';
import { CONSUMED_TOPICS, CONSUMER_GROUP, subscriptions } from './events/subscriptions.js';
import { mapDomainError } from './grpc/errors.js';
import { documentHandlers } from './grpc/handlers.js';
import { DEFAULT_CLIENT_POLICY } from './grpc/policy.js';
import { checkFonts, defaultFonts } from './pdf/fonts.js';
import { PdfRenderer } from './pdf/render.js';
import { MongoDocumentRepository } from './store/document-repository.js';
import { documentModels, ensureIndexes } from './store/models.js';
import { MongoMoveRepository } from './store/move-repository.js';
import { MongoNumberSequence } from './store/number-sequence.js';

export interface ServiceDeps {
  config: ServiceConfig;
  /** The service's own database. */
  connection: Connection;
  bus: EventBus;
  keys: KeyRing;
  logger: Logger;
  clock?: Clock;
  random?: RandomBytes;
}

export interface DocumentService {
  /** Starts gRPC, the outbox relay and the consumer; returns the bound gRPC port. */
  start(): Promise<number>;
  /** Stops taking calls and events, finishes what is in flight, publishes nothing more. */
  stop(): Promise<void>;
  /** The use cases' dependencies (for tests and tools). */
  readonly app: DocumentAppDeps;
}

function security(config: ServiceConfig): ServerSecurity {
  if (config.GRPC_INSECURE) return { insecure: true };
  const { GRPC_TLS_CA, GRPC_TLS_CERT, GRPC_TLS_KEY } = config;
  if (!GRPC_TLS_CA || !GRPC_TLS_CERT || !GRPC_TLS_KEY) throw new Error('TLS files missing (checked by the config)');
  return { tls: { caFile: GRPC_TLS_CA, certFile: GRPC_TLS_CERT, keyFile: GRPC_TLS_KEY } };
}

function policy(config: ServiceConfig): AuthorizationPolicy {
  return config.CLIENT_POLICY ? loadAuthorizationPolicy(config.CLIENT_POLICY) : DEFAULT_CLIENT_POLICY;
}

/** Builds the document service from its dependencies; used by main.ts and by the integration tests. */
export function buildService(deps: ServiceDeps): DocumentService {
  const { config, connection, bus, keys, logger } = deps;
  const models = documentModels(connection);
  const relay = new OutboxRelay({
    bus,
    models: [models.documents, models.transitions],
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    logger: logger.child({ component: 'outbox-relay' }),
  });
  const fonts =
    config.PDF_FONT_REGULAR && config.PDF_FONT_BOLD
      ? { regular: config.PDF_FONT_REGULAR, bold: config.PDF_FONT_BOLD }
      : defaultFonts();
  const renderer = new PdfRenderer({
    fonts: checkFonts(fonts),
    authority: {
      name: config.ISSUING_AUTHORITY,
      registrationOffice: config.REGISTRATION_OFFICE,
      vehicleOffice: config.VEHICLE_OFFICE,
    },
    verificationUrl: (code) => config.VERIFICATION_URL.replace('{code}', encodeURIComponent(code)),
  });
  const app: DocumentAppDeps = {
    moves: new MongoMoveRepository(models.facts),
    documents: new MongoDocumentRepository(models.documents, models.transitions, encodeDocumentEvent),
    sequence: new MongoNumberSequence(models.numberClaims),
    renderer,
    keys,
    clock: deps.clock ?? { now: () => new Date() },
    logger: logger.child({ component: 'documents' }),
    ...(deps.random ? { random: deps.random } : {}),
    // Publish right away instead of at the next poll.
    onEventsWritten: () => relay.kick(),
  };
  const server: GrpcServer = createGrpcServer({
    host: config.HOST,
    security: security(config),
    authorization: policy(config),
    mapError: mapDomainError,
    logger: logger.child({ component: 'grpc' }),
  }).addService(document.DocumentServiceService, documentHandlers(app));
  const consumer: EventConsumer = bus.consumer({
    groupId: CONSUMER_GROUP,
    topics: CONSUMED_TOPICS,
    handlers: subscriptions(app),
  });

  let started = false;
  return {
    app,
    async start() {
      await ensureIndexes(models);
      // Consuming needs the topics; whoever starts first creates them (existing ones are left alone).
      await bus.ensureTopics([...CONSUMED_TOPICS, Topics.document], {
        partitions: config.KAFKA_TOPIC_PARTITIONS,
        deadLetterGroups: [CONSUMER_GROUP],
      });
      const port = await server.start(config.PORT);
      relay.start();
      await consumer.start();
      started = true;
      return port;
    },
    async stop() {
      if (!started) return;
      started = false;
      // Calls first (health goes NOT_SERVING at once), then events, then the relay's last pass.
      await server.stop({ drainMs: 0, graceMs: 5_000 });
      await consumer.stop();
      await relay.stop();
    },
  };
}
