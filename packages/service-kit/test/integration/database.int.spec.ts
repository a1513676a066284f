import { databaseUrl, uniqueName, waitUntil } from '@buergerservice/testing';
import { createLogger } from '@buergerservice/telemetry';
import { Schema } from 'mongoose';
import { Database } from '../../src/database/database.js';

/** The parts of the MongoDB driver's internals the race test reaches into (mongodb 7.8). */
interface DriverInternals {
  topology: {
    s: {
      servers: Map<string, { monitor?: { connection: { socket: { destroy(): void } } | null; requestCheck(): void } }>;
    };
  };
}

function driverInternals(client: object): DriverInternals {
  if (!('topology' in client) || !client.topology) throw new Error('the driver client has no topology');
  return client as unknown as DriverInternals;
}

/**
 * Against the real test database (FerretDB, whose servers the driver polls).
 * The race test causes the driver defect the watchdog exists for (a heartbeat
 * that never ends, seen in the db-restart drill at 500 bundles) through the
 * driver's internals; if a driver upgrade changes them, it fails loudly.
 */
describe('Database', () => {
  const logger = createLogger('database-test');
  const thingSchema = new Schema({ n: { type: Number, required: true } });
  let database: Database | undefined;

  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  it('replaces its client while models bound to the connection keep working', async () => {
    database = await Database.connect(databaseUrl(uniqueName('kit-db-replace')), { logger });
    const Thing = database.connection.model('Thing', thingSchema);
    await Thing.create({ n: 1 });
    const before = database.connection.getClient();

    await database.replaceClient('test');

    expect(database.connection.getClient()).not.toBe(before);
    expect(database.connection.readyState).toBe(1);
    await Thing.create({ n: 2 });
    expect((await Thing.find().sort({ n: 1 }).lean()).map((t) => t.n)).toEqual([1, 2]);
  });

  it("recovers from the driver's hung heartbeat, caused the way the db-restart drill caused it", async () => {
    // Limit 2 × 500 + 2 × 2,000 = 5 s. Heartbeats every 2 s (polling: FerretDB has no streaming hello).
    database = await Database.connect(databaseUrl(uniqueName('kit-db-race')), {
      logger,
      connectTimeoutMS: 500,
      heartbeatFrequencyMS: 2_000,
      watchEveryMs: 200,
    });
    expect(database.heartbeatLimitMs).toBe(5_000);
    const Thing = database.connection.model('Thing', thingSchema);
    const stuck = database.connection.getClient();
    const heartbeats = { started: 0, ended: 0 };
    stuck.on('serverHeartbeatStarted', () => heartbeats.started++);
    stuck.on('serverHeartbeatSucceeded', () => heartbeats.ended++);
    stuck.on('serverHeartbeatFailed', () => heartbeats.ended++);
    await waitUntil(() => heartbeats.ended > 0, { timeoutMs: 10_000, message: 'a first heartbeat' });
    // Over the driver's 500 ms minimum since the last heartbeat, so a requested check runs at once.
    await new Promise((resolve) => setTimeout(resolve, 700));

    // The race, through the driver's internals: the monitoring connection's socket is destroyed (the
    // database went away) and, before its `close` event is delivered, a check is requested (what every
    // pool connection failing at that moment does). The driver writes `hello` to the destroyed socket
    // and waits for a `drain` that never comes.
    const monitor = driverInternals(stuck).topology.s.servers.values().next().value?.monitor;
    if (!monitor?.connection) throw new Error('the driver has no monitoring connection: its internals changed');
    const before = { ...heartbeats };
    monitor.connection.socket.destroy();
    monitor.requestCheck();

    await waitUntil(() => database?.connection.getClient() !== stuck, {
      timeoutMs: 20_000,
      message: 'the watchdog to replace the client',
    });
    // The old client's last heartbeat started and never ended: the driver defect reproduced, not a slow check.
    expect(heartbeats).toEqual({ started: before.started + 1, ended: before.ended });
    await waitUntil(() => database?.connection.readyState === 1, { timeoutMs: 15_000, message: 'the new client' });
    await Thing.create({ n: 3 });
    expect(await Thing.countDocuments()).toBe(1);
  });

  it('leaves a client alone whose heartbeats end', async () => {
    // Limit 2 × 500 + 2 × 500 = 2 s, looked at every 200 ms.
    database = await Database.connect(databaseUrl(uniqueName('kit-db-healthy')), {
      logger,
      connectTimeoutMS: 500,
      heartbeatFrequencyMS: 500,
      watchEveryMs: 200,
    });
    const client = database.connection.getClient();
    let heartbeats = 0;
    client.on('serverHeartbeatSucceeded', () => {
      heartbeats += 1;
    });
    // Three limits long: several real heartbeats start and end.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(heartbeats).toBeGreaterThanOrEqual(3);
    expect(database.connection.getClient()).toBe(client);
  });
});
