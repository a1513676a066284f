import { appointment, type EventType } from '@buergerservice/contracts';
import { encodeEvent, EventBus } from '@buergerservice/event-bus';
import { call, createClient, isServiceError, readFieldViolations } from '@buergerservice/service-kit';
import { buildLogger, type Logger } from '@buergerservice/telemetry';
import { databaseUrl, kafkaBrokers, uniqueName } from '@buergerservice/testing';
import type { ServiceError } from '@grpc/grpc-js';
import { logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import type { Clock } from '../../src/app/ports.js';
import { loadServiceConfig, type ServiceConfig } from '../../src/config.js';
import { seedAppointmentData } from '../../src/seed.js';
import { type AppointmentService, buildService } from '../../src/server.js';

/** Monday, 23 November 2026, 08:00 in Leipzig: the start of the tests' clock. */
export const TEST_START = new Date('2026-11-23T07:00:00Z');

/** A clock that starts at a fixed instant and runs with real time, so slots are deterministic and time still passes. */
export function testClock(start = TEST_START): Clock {
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

/** Logs of the code under test, kept in memory (quiet), for assertions. */
export function memoryLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = buildLogger(
    { service: 'appointment-test', level: 'info' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

export interface TestService {
  config: ServiceConfig;
  service: AppointmentService;
  connection: Connection;
  bus: EventBus;
  port: number;
  logs: Record<string, unknown>[];
  client(clientId?: string): appointment.AppointmentServiceClient;
  stop(): Promise<void>;
}

/**
 * The service in-process on a fresh database and fresh topics, seeded with
 * the model city, gRPC on 127.0.0.1:0 (plaintext, `x-client-id`).
 */
export async function startTestService(name: string, env: Record<string, string> = {}): Promise<TestService> {
  const config = loadServiceConfig({
    MONGO_URL: databaseUrl(uniqueName(name)),
    KAFKA_BROKERS: kafkaBrokers().join(','),
    GRPC_INSECURE: 'true',
    PORT: '0',
    APPOINTMENT_EVENTS_TOPIC: uniqueName(`${name}-appointment`),
    REGISTRATION_EVENTS_TOPIC: uniqueName(`${name}-registration`),
    CONSUMER_GROUP: uniqueName(`${name}-group`),
    OUTBOX_POLL_MS: '100',
    KAFKA_TOPIC_PARTITIONS: '3',
    ...env,
  });
  const connection = await mongoose.createConnection(config.MONGO_URL).asPromise();
  await seedAppointmentData(connection, { now: TEST_START });
  const { logger, lines } = memoryLogger();
  const bus = new EventBus({
    brokers: config.KAFKA_BROKERS,
    clientId: name,
    source: '/buergerservice/appointment',
    kafkaLogLevel: logLevel.NOTHING,
    logger,
  });
  const service = buildService({ config, connection, bus, clock: testClock(), logger });
  const { port } = await service.start();
  const clients: appointment.AppointmentServiceClient[] = [];
  const quiet = memoryLogger().logger;
  return {
    config,
    service,
    connection,
    bus,
    port,
    logs: lines,
    client(clientId = 'portal-gateway') {
      const client = createClient(appointment.AppointmentServiceClient, `127.0.0.1:${port}`, {
        security: { insecure: true, clientId },
        // Generous: the machines are shared, and a slow answer is not what these tests are about.
        defaultDeadlineMs: 90_000,
        logger: quiet,
      });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const client of clients) client.close();
      await service.stop();
      await bus.disconnect();
      await connection.dropDatabase();
      await connection.close();
    },
  };
}

/** A bus publishing as registration would (for feeding the service its events). */
export function registrationBus(clientId: string): EventBus {
  return new EventBus({
    brokers: kafkaBrokers(),
    clientId,
    source: '/buergerservice/registration',
    kafkaLogLevel: logLevel.NOTHING,
    logger: memoryLogger().logger,
  });
}

export async function publish<T>(
  bus: EventBus,
  topic: string,
  type: EventType<T>,
  payload: T,
  meta: { id: string; subject: string; correlationId: string; causationId?: string },
): Promise<void> {
  await bus.publish(topic, [encodeEvent(type, payload, { ...meta, causationId: meta.causationId ?? meta.id, topic })]);
}

export { call };

/** The gRPC error of a failed call, for asserting on its code and field violations. */
export async function rpcError(
  promise: Promise<unknown>,
): Promise<ServiceError & { violations: ReturnType<typeof readFieldViolations> }> {
  try {
    await promise;
  } catch (error) {
    if (isServiceError(error)) return Object.assign(error, { violations: readFieldViolations(error) });
    throw error;
  }
  throw new Error('the call succeeded');
}
