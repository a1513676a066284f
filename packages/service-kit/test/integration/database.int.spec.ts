import { databaseUrl, uniqueName, waitUntil } from '@buergerservice/testing';
import { createLogger } from '@buergerservice/telemetry';
import { Schema } from 'mongoose';
import { Database } from '../../src/database/database.js';

/**
 * Against the real test database (FerretDB or MongoDB). What the watchdog
 * guards against, a driver heartbeat that never ends, cannot be caused on
 * demand (it is a race inside the driver, seen in the db-restart drill at
 * 500 bundles); the second test stands in for it with a heartbeat-started
 * event on the real client that no end follows, which is exactly what the
 * watchdog observes in that case.
 */
describe('Database', () => {
  const logger = createLogger('database-test');
  const thingSchema = new Schema({ n: { type: Number, required: true } });
  let database: Database | undefined;

  /** A heartbeat limit of 2 × 500 + 2 × 500 = 2 s, looked at every 200 ms. */
  const watchedQuickly = (name: string) =>
    Database.connect(databaseUrl(uniqueName(name)), {
      logger,
      connectTimeoutMS: 500,
      heartbeatFrequencyMS: 500,
      watchEveryMs: 200,
    });

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

  it('replaces the client once a heartbeat outlives its limit, and the new client serves', async () => {
    database = await watchedQuickly('kit-db-watch');
    expect(database.heartbeatLimitMs).toBe(2_000);
    const Thing = database.connection.model('Thing', thingSchema);
    const stuck = database.connection.getClient();
    stuck.emit('serverHeartbeatStarted', { connectionId: 'stuck-server:27017', awaited: false });

    // Real heartbeats of the real server keep ending meanwhile; only the stuck one may trigger the watchdog.
    await waitUntil(() => database?.connection.getClient() !== stuck, {
      timeoutMs: 15_000,
      message: 'the watchdog to replace the client',
    });
    await waitUntil(() => database?.connection.readyState === 1, { timeoutMs: 15_000, message: 'the new client' });
    await Thing.create({ n: 3 });
    expect(await Thing.countDocuments()).toBe(1);
  });

  it('leaves a client alone whose heartbeats end', async () => {
    database = await watchedQuickly('kit-db-healthy');
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
