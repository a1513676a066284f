import mongoose, { Schema } from 'mongoose';
import { databaseUrl, restartContainer, uniqueName, waitUntil } from '../../src/index.js';

// Proof that the harness gives tests a real MongoDB-wire database: CRUD,
// unique indexes, and mongoose reconnecting after a database restart.
interface Citizen {
  personId: string;
  familyName: string;
  moves: number;
}

describe('real MongoDB-wire database through the harness', () => {
  const connection = mongoose.createConnection();
  const Citizens = connection.model<Citizen>(
    'Citizen',
    new Schema<Citizen>({
      personId: { type: String, required: true, unique: true },
      familyName: { type: String, required: true },
      moves: { type: Number, default: 0 },
    }),
  );

  beforeAll(async () => {
    await connection.openUri(databaseUrl(uniqueName('proof-db')), { serverSelectionTimeoutMS: 60_000 });
    await Citizens.init();
  });
  afterAll(async () => {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  });

  it('creates, reads, updates and deletes, and a unique index rejects a duplicate', async () => {
    await Citizens.create({ personId: 'p-1', familyName: 'Müller' });
    await expect(Citizens.create({ personId: 'p-1', familyName: 'Schmidt' })).rejects.toMatchObject({ code: 11000 });

    await Citizens.updateOne({ personId: 'p-1' }, { $inc: { moves: 1 } });
    const found = await Citizens.findOne({ personId: 'p-1' }).lean();
    expect(found).toMatchObject({ personId: 'p-1', familyName: 'Müller', moves: 1 });

    await Citizens.deleteOne({ personId: 'p-1' });
    expect(await Citizens.countDocuments({ personId: 'p-1' })).toBe(0);
  });

  it('reconnects after the database restarts and keeps the data', async () => {
    await Citizens.create({ personId: 'p-2', familyName: 'Weber' });
    await restartContainer('database');
    const found = await waitUntil(() => Citizens.findOne({ personId: 'p-2' }).lean(), {
      timeoutMs: 60_000,
      intervalMs: 500,
      message: 'mongoose answers again after the restart',
    });
    expect(found.familyName).toBe('Weber');
    await Citizens.create({ personId: 'p-3', familyName: 'Fischer' });
    expect(await Citizens.countDocuments()).toBe(2);
  });
});
