import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type EventBus, type EventConsumer } from '@buergerservice/event-bus';
import { createLogger, type Logger } from '@buergerservice/telemetry';
import type { Connection } from 'mongoose';
import { BundleMetrics, listeners } from './app/bundle-metrics.js';
import type {
  AppointmentAuthority,
  BundleRepository,
  Clock,
  DocumentAuthority,
  RegistrationAuthority,
  VehicleAuthority,
} from './app/ports.js';
import { GrpcAppointmentAuthority } from './authorities/appointment.js';
import { type AuthorityClients, createAuthorityClients } from './authorities/clients.js';
import { GrpcDocumentAuthority } from './authorities/document.js';
import { GrpcRegistrationAuthority } from './authorities/registration.js';
import { GrpcVehicleAuthority } from './authorities/vehicle.js';
import type { ServiceConfig } from './config.js';
import { subscriptions, TRACKED_TOPICS } from './events/subscriptions.js';
import { createHttpApp } from './http/app.js';
import { remoteKeys, TokenVerifier } from './http/auth.js';
import { BundleStreams } from './http/bundle-streams.js';
import { DevIssuer } from './http/dev-issuer.js';
import { StreamTickets } from './http/stream-tickets.js';
import { MongoBundleRepository, trackerModels } from './store/bundle-store.js';
import { IdempotencyStore } from './store/idempotency-store.js';

export interface Authorities {
  readonly registration: RegistrationAuthority;
  readonly vehicles: VehicleAuthority;
  readonly appointments: AppointmentAuthority;
  readonly documents: DocumentAuthority;
}

export interface ServiceDeps {
  readonly config: ServiceConfig;
  /** An open connection to the gateway's own database. */
  readonly connection: Connection;
  readonly bus: EventBus;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export interface GatewayService {
  /** Starts the tracker and the HTTP server; resolves to the bound port. */
  start(): Promise<number>;
  /** Stops accepting requests, ends live streams, stops the tracker, closes clients. Idempotent. */
  stop(): Promise<void>;
  readonly bundles: BundleRepository;
}

/** dist/web next to dist/server.js (the Vite build output). */
function defaultWebRoot(): string {
  return path.join(__dirname, 'web');
}

/** Builds the gateway from its dependencies; used by main.ts and by the integration tests. */
export async function buildService(deps: ServiceDeps): Promise<GatewayService> {
  const { config, connection, bus } = deps;
  const logger = deps.logger ?? createLogger('portal-gateway');
  const clock: Clock = deps.clock ?? { now: () => new Date() };

  const bundles = new MongoBundleRepository(trackerModels(connection), () => clock.now());
  const idempotency = new IdempotencyStore(connection, config.IDEMPOTENCY_TTL_HOURS * 3_600_000, () => clock.now());
  const clients: AuthorityClients = createAuthorityClients(config);
  const authorities: Authorities = {
    registration: new GrpcRegistrationAuthority(clients.registration),
    vehicles: new GrpcVehicleAuthority(clients.vehicle),
    appointments: new GrpcAppointmentAuthority(clients.appointment),
    documents: new GrpcDocumentAuthority(clients.document),
  };
  const streams = new BundleStreams(bundles, {
    pollMs: config.STREAM_POLL_MS,
    maxPollMs: Math.max(config.STREAM_POLL_MS, config.STREAM_MAX_POLL_MS),
  });
  const listener = listeners(streams, new BundleMetrics());

  let devIssuer: DevIssuer | undefined;
  let verifier: TokenVerifier;
  if (config.DEV_ISSUER_ENABLED) {
    devIssuer = await DevIssuer.create(config.OIDC_AUDIENCE, config.DEV_TOKEN_TTL_SECONDS);
    verifier = new TokenVerifier({
      issuer: devIssuer.issuer,
      audience: config.OIDC_AUDIENCE,
      personIdClaim: 'sub',
      keys: devIssuer.keys(),
    });
    logger.warn(
      { issuer: devIssuer.issuer },
      '!!! DEVELOPMENT ISSUER ENABLED: anyone can sign in as a demo citizen without proof of identity. Never run this in production. !!!',
    );
  } else {
    const issuer = config.OIDC_ISSUER ?? '';
    verifier = new TokenVerifier({
      issuer,
      audience: config.OIDC_AUDIENCE,
      personIdClaim: config.OIDC_PERSON_ID_CLAIM,
      keys: remoteKeys(issuer, config.OIDC_JWKS_URL),
    });
  }
  if (!config.STREAM_TICKET_SECRET) {
    logger.warn('STREAM_TICKET_SECRET not set: live-status tickets are valid on this instance only');
  }
  const tickets = new StreamTickets(config.STREAM_TICKET_SECRET, config.STREAM_TICKET_TTL_SECONDS);

  const consumer: EventConsumer = bus.consumer({
    groupId: config.KAFKA_CONSUMER_GROUP,
    topics: [...TRACKED_TOPICS],
    handlers: subscriptions({ bundles, clock, listener }, logger.child({ component: 'request-tracker' })),
  });

  const app = createHttpApp({
    limits: config,
    deps: {
      bundles,
      ...authorities,
      clock,
      listener,
      tickets,
      devIssuerEnabled: devIssuer !== undefined,
      issuer: devIssuer?.issuer ?? config.OIDC_ISSUER ?? '',
    },
    runner: {
      idempotency,
      newResourceId: randomUUID,
      onServerError: (error, req) => logger.error({ err: error, path: req.path }, 'idempotency record not released'),
    },
    verifier,
    streams,
    devIssuer,
    webRoot: config.WEB_ROOT ?? defaultWebRoot(),
    readiness: async () => ({
      database: connection.readyState === 1,
      tracker: consumer.state === 'running',
    }),
    logger: logger.child({ component: 'http' }),
  });

  let server: Server | undefined;
  let stopping: Promise<void> | undefined;
  let purgeTimer: NodeJS.Timeout | undefined;
  const purge = () =>
    idempotency
      .purgeExpired()
      .then((removed) => {
        if (removed > 0) logger.info({ removed }, 'expired idempotency records removed');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'could not remove expired idempotency records'));

  return {
    bundles,
    async start() {
      await Promise.all([bundles.init(), idempotency.init()]);
      await purge();
      purgeTimer = setInterval(() => void purge(), 3_600_000);
      purgeTimer.unref();
      await bus.ensureTopics([...TRACKED_TOPICS], { partitions: config.KAFKA_TOPIC_PARTITIONS });
      await consumer.start();
      const http = createServer({ requestTimeout: 30_000, headersTimeout: 15_000 }, app);
      // Live status streams stay open; the request timeout must not cut them.
      http.requestTimeout = 0;
      server = http;
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(config.PORT, config.HOST, () => {
          http.off('error', reject);
          resolve();
        });
      });
      return (http.address() as AddressInfo).port;
    },
    stop() {
      stopping ??= (async () => {
        clearInterval(purgeTimer);
        const http = server;
        const closed = http ? new Promise<void>((resolve) => http.close(() => resolve())) : Promise.resolve();
        streams.closeAll();
        http?.closeIdleConnections();
        const force = setTimeout(() => http?.closeAllConnections(), 5_000);
        await closed;
        clearTimeout(force);
        await consumer.stop();
        await bus.disconnect();
        clients.close();
      })();
      return stopping;
    },
  };
}
