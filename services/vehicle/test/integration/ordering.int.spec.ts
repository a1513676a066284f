import { databaseUrl, uniqueName } from '@buergerservice/testing';
import fc from 'fast-check';
import mongoose, { type Connection } from 'mongoose';
import { KeyedLock } from '@buergerservice/event-bus';
import type { VehicleAppDeps } from '../../src/app/ports.js';
import { LEIPZIG_JURISDICTION } from '../../src/domain/jurisdiction.js';
import { ensureIndexes, vehicleModels } from '../../src/store/models.js';
import { MongoMoveRepository } from '../../src/store/move-repository.js';
import { MongoVehicleRepository } from '../../src/store/vehicle-repository.js';
import { FixedClock } from '../../src/testing/in-memory.js';
import { registerState, run, scenario } from '../../src/testing/ordering-scenarios.js';

// The ordering property of src/app/ordering.property.spec.ts on the real store
// (FerretDB): the conditional writes, applyOnce records, the $nin on rejected
// plates and the tombstones behave as the in-memory fakes assume.

describe('duplicated and reordered move events on the real store', () => {
  let connection: Connection;
  const databases: Connection[] = [];

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(databaseUrl(uniqueName('vehicle-order')), { serverSelectionTimeoutMS: 60_000 })
      .asPromise();
  });
  afterAll(async () => {
    for (const db of databases) await db.dropDatabase().catch(() => undefined);
    await connection.close();
  });

  /** A fresh database on the shared connection per delivery. */
  async function freshApp(): Promise<VehicleAppDeps> {
    const db = connection.useDb(uniqueName('vehicle-order'), { useCache: false });
    databases.push(db);
    const models = vehicleModels(db);
    await ensureIndexes(models);
    return {
      vehicles: new MongoVehicleRepository(models, 'vehicle.events.v1'),
      moves: new MongoMoveRepository(models, 'vehicle.events.v1'),
      clock: new FixedClock(),
      jurisdiction: LEIPZIG_JURISDICTION,
      vehicleLocks: new KeyedLock(),
    };
  }

  it('end in the same register state as one in-order delivery', async () => {
    await fc.assert(
      fc.asyncProperty(scenario(3), async ({ moves, sequence, delivered }) => {
        const expected = await registerState(await run(await freshApp(), moves, sequence));
        expect(await registerState(await run(await freshApp(), moves, delivered))).toEqual(expected);
      }),
      { numRuns: 15 },
    );
  });
});
