import { registration } from '@buergerservice/contracts';
import { EventBus } from '@buergerservice/event-bus';
import { call, createClient } from '@buergerservice/service-kit';
import { buildLogger, type Logger } from '@buergerservice/telemetry';
import { createTopics, databaseUrl, kafkaBrokers, TopicRecorder, uniqueName } from '@buergerservice/testing';
import { logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { type ServiceConfig, loadServiceConfig } from '../../../src/config.js';
import { berlinDate } from '../../../src/domain/calendar.js';
import { type Clock, fixedClock } from '../../../src/domain/clock.js';
import { seedRegistration } from '../../../src/seed.js';
import { buildService, type RegistrationService } from '../../../src/server.js';

/** A log kept in memory, so tests can check what the service logged (and stay quiet). */
export function memoryLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = buildLogger(
    { service: 'registration-test', level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

export interface Running {
  readonly service: RegistrationService;
  readonly connection: Connection;
  readonly bus: EventBus;
  readonly topic: string;
  readonly port: number;
  readonly address: string;
  readonly recorder: TopicRecorder;
  readonly clock: Clock & { set(time: Date): void };
  readonly logLines: Record<string, unknown>[];
  client(clientId: string): registration.RegistrationServiceClient;
  stop(): Promise<void>;
}

/**
 * The service on real infrastructure, in-process: a fresh database seeded
 * with the demo population, a fresh topic recorded from the start, gRPC on
 * 127.0.0.1 with a free port (plaintext, client id from the header).
 * The clock is the real time unless a test moves it.
 */
export async function startRegistration(
  options: { persons?: number; env?: Record<string, string>; now?: Date } = {},
): Promise<Running> {
  const database = uniqueName('registration');
  const topic = uniqueName('registration-events');
  await createTopics([topic]);
  const connection = await mongoose
    .createConnection(databaseUrl(database), { serverSelectionTimeoutMS: 60_000 })
    .asPromise();
  await seedRegistration(connection, { persons: options.persons ?? 60 });
  const config: ServiceConfig = loadServiceConfig({
    PORT: '0',
    MONGO_URL: databaseUrl(database),
    KAFKA_BROKERS: kafkaBrokers().join(','),
    GRPC_INSECURE: 'true',
    OUTBOX_POLL_INTERVAL_MS: '100',
    SHUTDOWN_GRACE_MS: '2000',
    ...options.env,
  });
  const { logger, lines } = memoryLogger();
  const bus = new EventBus({
    brokers: kafkaBrokers(),
    clientId: 'registration-test',
    source: '/buergerservice/registration',
    kafkaLogLevel: logLevel.NOTHING,
    logger,
  });
  const clock = fixedClock(options.now ?? new Date());
  const service = buildService({ config, connection, bus, clock, logger, topic });
  const { port } = await service.start();
  const recorder = await TopicRecorder.start(topic);
  const address = `127.0.0.1:${port}`;
  const clients: registration.RegistrationServiceClient[] = [];
  return {
    service,
    connection,
    bus,
    topic,
    port,
    address,
    recorder,
    clock,
    logLines: lines,
    client(clientId: string) {
      const client = createClient(registration.RegistrationServiceClient, address, {
        security: { insecure: true, clientId },
        logger,
      });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const client of clients) client.close();
      await recorder.stop();
      await service.stop();
      await bus.disconnect();
      await connection.dropDatabase();
      await connection.close();
    },
  };
}

/** The day in Leipzig `days` after the clock's now. */
export function dayFrom(clock: Clock, days: number): string {
  return berlinDate(new Date(clock.now().getTime() + days * 86_400_000));
}

export const access = { fileReference: 'AZ 2025/0815', purpose: 'Halteranschrift prüfen', actingUserId: 'sb-17' };

/** A valid change of address for Anna Müller and her household, as the portal gateway sends it. */
export function annasMove(
  clock: Clock,
  overrides: Partial<registration.SubmitChangeOfAddressRequest> = {},
): registration.SubmitChangeOfAddressRequest {
  return registration.SubmitChangeOfAddressRequest.fromPartial({
    idempotencyKey: uniqueName('key'),
    correlationId: uniqueName('bundle'),
    kind: registration.MoveKind.MOVE_KIND_WITHIN_CITY,
    personId: 'P0000001',
    coMovingPersonIds: ['P0000002', 'P0000003'],
    newAddress: {
      street: 'Mozartstraße',
      houseNumber: '7',
      postalCode: '04107',
      municipality: 'Leipzig',
      countryCode: 'DE',
    },
    moveInDate: dayFrom(clock, -3),
    residenceType: registration.ResidenceType.RESIDENCE_TYPE_MAIN,
    landlordConfirmationReference: 'WGB-4711',
    followUps: {
      vehiclePlates: ['L-AM 2026'],
      documents: [registration.RequestedDocument.REQUESTED_DOCUMENT_REGISTRATION_CONFIRMATION],
      appointment: { wanted: true, locationId: '', autoBook: true, earliestDate: '', interpreterLanguage: '' },
    },
    ...overrides,
  });
}

export { call };
