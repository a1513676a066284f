import { RegistrationEvents, registration } from '@buergerservice/contracts';
import { buildLogger, type Logger } from '@buergerservice/telemetry';
import { databaseUrl, kafkaBrokers, uniqueName } from '@buergerservice/testing';
import { logLevel } from 'kafkajs';
import mongoose, { type Connection, type Model, Schema } from 'mongoose';
import {
  EventBus,
  idempotencyPlugin,
  outboxPlugin,
  type WithOutbox,
  type WithProcessedEvents,
} from '../../src/index.js';

/** Logs of the code under test, kept in memory (and quiet) so tests can assert on them. */
export function memoryLogger(level = 'debug'): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = buildLogger(
    { service: 'event-bus-test', level },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

export function testBus(clientId: string, logger?: Logger): EventBus {
  return new EventBus({
    brokers: kafkaBrokers(),
    clientId,
    source: '/buergerservice/registration',
    kafkaLogLevel: logLevel.NOTHING,
    ...(logger ? { logger } : {}),
  });
}

/** A registration-like aggregate: one citizen's registered address, with its outbox. */
export interface Residence extends WithOutbox {
  _id: string;
  street: string;
  moves: number;
}

/** A vehicle-like read model that consumers change once per event. */
export interface Holder extends WithProcessedEvents {
  _id: string;
  addressUpdates: number;
  lastMoveId?: string;
  /** Order in which move ids arrived, to check per-person ordering. */
  seen: string[];
}

export interface TestDatabase {
  connection: Connection;
  Residences: Model<Residence>;
  Holders: Model<Holder>;
  close(): Promise<void>;
}

/** The aggregate's schema, with the outbox. */
export function residenceSchema(): Schema<Residence> {
  const schema = new Schema<Residence>({
    _id: { type: String, required: true },
    street: { type: String, required: true },
    moves: { type: Number, default: 0 },
  });
  schema.plugin(outboxPlugin);
  return schema;
}

/** A fresh database on the shared FerretDB/MongoDB server. */
export async function openTestDatabase(prefix: string): Promise<TestDatabase> {
  const connection = mongoose.createConnection();
  const holderSchema = new Schema<Holder>({
    _id: { type: String, required: true },
    addressUpdates: { type: Number, default: 0 },
    lastMoveId: { type: String },
    seen: { type: [String], default: [] },
  });
  holderSchema.plugin(idempotencyPlugin);
  const Residences = connection.model<Residence>('Residence', residenceSchema());
  const Holders = connection.model<Holder>('Holder', holderSchema);
  await connection.openUri(databaseUrl(uniqueName(prefix)), { serverSelectionTimeoutMS: 60_000 });
  await Promise.all([Residences.init(), Holders.init()]);
  return {
    connection,
    Residences,
    Holders,
    close: async () => {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    },
  };
}

export function addressChanged(personId: string, moveId: string): registration.AddressChanged {
  return registration.AddressChanged.fromPartial({
    moveId,
    personId,
    moveInDate: '2025-03-01',
    newAddress: { street: 'Augustusplatz', houseNumber: '9', postalCode: '04109', municipality: 'Leipzig' },
  });
}

export const AddressChanged = RegistrationEvents.AddressChanged;
export const AddressChangeRevoked = RegistrationEvents.AddressChangeRevoked;
