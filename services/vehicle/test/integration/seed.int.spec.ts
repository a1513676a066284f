import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { demoPopulation } from '@buergerservice/demo-data';
import { databaseUrl, uniqueName } from '@buergerservice/testing';
import mongoose, { type Connection } from 'mongoose';
import { seedVehicles } from '../../src/seed.js';
import { vehicleModels } from '../../src/store/models.js';

describe('seeding the register from the demo population', () => {
  let url: string;
  let connection: Connection;

  beforeAll(async () => {
    url = databaseUrl(uniqueName('vehicle-seed'));
    connection = await mongoose.createConnection(url, { serverSelectionTimeoutMS: 60_000 }).asPromise();
  });
  afterAll(async () => {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  });

  it('loads the vehicles with the holders of the registration register, idempotently', async () => {
    expect(await seedVehicles(connection, { persons: 200, vehicles: 120 })).toEqual({ vehicles: 120, inserted: 120 });
    expect(await seedVehicles(connection, { persons: 200, vehicles: 120 })).toEqual({ vehicles: 120, inserted: 0 });
    const { Vehicles } = vehicleModels(connection);
    expect(await Vehicles.countDocuments()).toBe(120);
    const anna = await Vehicles.findById('L-AM 2026').lean();
    expect(anna).toMatchObject({ holderPersonId: 'P0000001', district: 'L', vin: 'WVWZZZ1KZ8W012345' });
    const persons = new Set(demoPopulation({ persons: 200, vehicles: 0 }).persons.map((p) => p.personId));
    const holders = await Vehicles.distinct('holderPersonId');
    expect(holders.every((id) => persons.has(String(id)))).toBe(true);
  });

  it('leaves vehicles changed since alone', async () => {
    const { Vehicles } = vehicleModels(connection);
    await Vehicles.updateOne({ _id: 'L-AM 2026' }, { $set: { 'holderAddress.houseNumber': '99' } });
    await seedVehicles(connection, { persons: 200, vehicles: 120 });
    expect((await Vehicles.findById('L-AM 2026').lean())?.holderAddress.houseNumber).toBe('99');
  });

  it('runs as a command: node dist/seed.js --persons N --vehicles M (needs npm run build)', async () => {
    const other = databaseUrl(uniqueName('vehicle-seed-cli'));
    const seed = path.join(__dirname, '..', '..', 'dist', 'seed.js');
    const { stdout } = await promisify(execFile)(process.execPath, [seed, '--persons', '20', '--vehicles', '7'], {
      env: { PATH: process.env.PATH ?? '', MONGO_URL: other, LOG_LEVEL: 'info' },
    });
    expect(stdout).toMatch(/"msg":"vehicle register seeded"/);
    expect(stdout).toMatch(/"inserted":7/);
    const check = await mongoose.createConnection(other, { serverSelectionTimeoutMS: 60_000 }).asPromise();
    try {
      expect(await vehicleModels(check).Vehicles.countDocuments()).toBe(7);
    } finally {
      await check.dropDatabase();
      await check.close();
    }
  });
});
