import { type EventType, RegistrationEvents, registration, vehicle } from '@buergerservice/contracts';
import { demoPopulation } from '@buergerservice/demo-data';
import { EventBus, encodeEvent } from '@buergerservice/event-bus';
import { createClient } from '@buergerservice/service-kit';
import { buildLogger, type Logger } from '@buergerservice/telemetry';
import { databaseUrl, kafkaBrokers, type RecordedMessage, TopicRecorder, uniqueName } from '@buergerservice/testing';
import { logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { loadServiceConfig, type ServiceConfig } from '../../src/config.js';
import { buildService, EVENT_SOURCE, type VehicleService } from '../../src/server.js';

/** Logs of the code under test, kept in memory so tests stay quiet and can assert on them. */
export function memoryLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = buildLogger(
    { service: 'vehicle-test', level: 'info' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

/** The service's configuration for one test file: its own database, topics and consumer group. */
export function testConfig(prefix: string, overrides: Record<string, string> = {}): ServiceConfig {
  return loadServiceConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MONGO_URL: databaseUrl(uniqueName(prefix)),
    KAFKA_BROKERS: kafkaBrokers().join(','),
    GRPC_INSECURE: 'true',
    CONSUMER_GROUP: uniqueName('vehicle'),
    REGISTRATION_EVENTS_TOPIC: uniqueName('registration-events'),
    VEHICLE_EVENTS_TOPIC: uniqueName('vehicle-events'),
    OUTBOX_POLL_INTERVAL_MS: '100',
    SHUTDOWN_GRACE_MS: '2000',
    ...overrides,
  });
}

export interface RunningService {
  readonly config: ServiceConfig;
  readonly service: VehicleService;
  readonly connection: Connection;
  readonly bus: EventBus;
  readonly port: number;
  readonly lines: Record<string, unknown>[];
  /** Records vehicle.events (this file's topic) from the beginning. */
  readonly events: TopicRecorder;
  /** A gRPC client of the service calling as `clientId` (plaintext, x-client-id). */
  client(clientId: string): vehicle.VehicleServiceClient;
  stop(): Promise<void>;
}

/** Builds and starts the service in this process against the shared Kafka and FerretDB. */
export async function startService(prefix: string, overrides: Record<string, string> = {}): Promise<RunningService> {
  const config = testConfig(prefix, overrides);
  const { logger, lines } = memoryLogger();
  const connection = await mongoose
    .createConnection(config.MONGO_URL, { serverSelectionTimeoutMS: 60_000 })
    .asPromise();
  const bus = new EventBus({
    brokers: config.KAFKA_BROKERS,
    clientId: 'vehicle-test',
    source: EVENT_SOURCE,
    kafkaLogLevel: logLevel.NOTHING,
    logger,
  });
  const service = buildService({ config, connection, bus, logger });
  const port = await service.start();
  const events = await TopicRecorder.start(config.VEHICLE_EVENTS_TOPIC);
  const clients: vehicle.VehicleServiceClient[] = [];
  return {
    config,
    service,
    connection,
    bus,
    port,
    lines,
    events,
    client(clientId) {
      const client = createClient(vehicle.VehicleServiceClient, `127.0.0.1:${port}`, {
        security: { insecure: true, clientId },
        logger,
      });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const client of clients) client.close();
      await events.stop();
      await service.stop();
      await bus.disconnect();
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    },
  };
}

/** A registration-office producer for the test's registration topic. */
export class RegistrationOffice {
  readonly bus: EventBus;
  constructor(private readonly topic: string) {
    this.bus = new EventBus({
      brokers: kafkaBrokers(),
      clientId: 'registration-test',
      source: '/buergerservice/registration',
      kafkaLogLevel: logLevel.NOTHING,
    });
  }

  /** Encodes an event as the registration service would (CloudEvents headers, key = applicant). */
  event<T>(type: EventType<T>, payload: T, meta: { applicant: string; correlationId: string; time?: Date }) {
    return encodeEvent(type, payload, {
      subject: meta.applicant,
      correlationId: meta.correlationId,
      causationId: `request-${meta.correlationId}`,
      topic: this.topic,
      ...(meta.time ? { time: meta.time } : {}),
    });
  }

  async publish(...events: ReturnType<RegistrationOffice['event']>[]): Promise<void> {
    await this.bus.publish(this.topic, events);
  }

  async close(): Promise<void> {
    await this.bus.disconnect();
  }
}

export const AddressChanged = RegistrationEvents.AddressChanged;
export const AddressChangeRevoked = RegistrationEvents.AddressChangeRevoked;

/** The demo household: Anna (applicant, holds L-AM 2026), Jonas, Mia; and the first generated vehicles of others. */
export const population = demoPopulation({ persons: 200, vehicles: 120 });

export function addressChanged(overrides: Partial<registration.AddressChanged>): registration.AddressChanged {
  return registration.AddressChanged.fromPartial({
    kind: registration.MoveKind.MOVE_KIND_WITHIN_CITY,
    personId: 'P0000001',
    persons: [{ personId: 'P0000001' }, { personId: 'P0000002' }, { personId: 'P0000003' }],
    newAddress: {
      street: 'Karl-Heine-Straße',
      houseNumber: '40',
      postalCode: '04229',
      municipality: 'Leipzig',
      municipalityKey: '14713000',
      streetKey: '03001',
      district: 'Plagwitz',
      countryCode: 'DE',
    },
    moveInDate: '2026-03-01',
    residenceType: registration.ResidenceType.RESIDENCE_TYPE_MAIN,
    ...overrides,
  });
}

/** Messages of one event type on the recorded topic, decoded. */
export function decoded<T>(
  recorder: TopicRecorder,
  type: EventType<T>,
  filter: (m: RecordedMessage) => boolean = () => true,
) {
  return recorder
    .ofType(type.typeName)
    .filter(filter)
    .map((m) => ({ message: m, payload: type.codec.decode(m.value ?? Buffer.alloc(0)) }));
}
