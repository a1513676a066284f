import { databaseUrl, uniqueName } from '@buergerservice/testing';
import mongoose, { Schema } from 'mongoose';
import { applyOnce, insertOnce } from '../../src/index.js';
import { openTestDatabase, type TestDatabase } from './support.js';

// applyOnce and insertOnce on the real database (FerretDB 1.24 in the
// air-gapped setup): one single-document write per effect.

describe('idempotent consumers', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase('idempotency');
  });
  afterAll(async () => {
    await db.close();
  });

  async function holder(id: string) {
    return db.Holders.findById(id).select('+processedEventIds').lean().orFail();
  }

  it('applies an event once and reports the redelivery as a duplicate', async () => {
    const id = uniqueName('person');
    await db.Holders.create({ _id: id });
    const update = { $inc: { addressUpdates: 1 }, $set: { lastMoveId: 'move-1' }, $push: { seen: 'move-1' } };

    expect(await applyOnce(db.Holders, { _id: id }, 'event-1', update)).toBe('applied');
    expect(await applyOnce(db.Holders, { _id: id }, 'event-1', update)).toBe('duplicate');

    const after = await holder(id);
    expect(after).toMatchObject({ addressUpdates: 1, lastMoveId: 'move-1', seen: ['move-1'] });
    expect(after.processedEventIds).toEqual(['event-1']);
  });

  it('tells a missing document apart from a duplicate', async () => {
    expect(await applyOnce(db.Holders, { _id: uniqueName('nobody') }, 'event-1', { $inc: { addressUpdates: 1 } })).toBe(
      'not-found',
    );
  });

  it('applies different events to the same document', async () => {
    const id = uniqueName('person');
    await db.Holders.create({ _id: id });
    for (const event of ['event-1', 'event-2', 'event-1', 'event-3', 'event-2']) {
      await applyOnce(db.Holders, { _id: id }, event, { $inc: { addressUpdates: 1 } });
    }
    const after = await holder(id);
    expect(after.addressUpdates).toBe(3);
    expect(after.processedEventIds).toEqual(['event-1', 'event-2', 'event-3']);
  });

  it('remembers only the latest ids, dropping the oldest first', async () => {
    const id = uniqueName('person');
    await db.Holders.create({ _id: id });
    for (let n = 1; n <= 5; n++) {
      await applyOnce(db.Holders, { _id: id }, `event-${n}`, { $inc: { addressUpdates: 1 } }, { keep: 3 });
    }
    expect((await holder(id)).processedEventIds).toEqual(['event-3', 'event-4', 'event-5']);
    expect(await applyOnce(db.Holders, { _id: id }, 'event-5', { $inc: { addressUpdates: 1 } }, { keep: 3 })).toBe(
      'duplicate',
    );
  });

  it('does not load the processed ids with the document by default', async () => {
    const id = uniqueName('person');
    await db.Holders.create({ _id: id });
    await applyOnce(db.Holders, { _id: id }, 'event-1', { $inc: { addressUpdates: 1 } });
    expect(await db.Holders.findById(id).lean().orFail()).not.toHaveProperty('processedEventIds');
  });

  it('refuses a model without the idempotency plugin and an update that pushes the ids itself', async () => {
    const connection = mongoose.createConnection();
    const Plain = connection.model('Plain', new Schema({ _id: String, n: Number }));
    await expect(applyOnce(Plain, { _id: 'x' }, 'event-1', { $inc: { n: 1 } })).rejects.toThrow(/idempotencyPlugin/);
    await expect(
      applyOnce(db.Holders, { _id: 'x' }, 'event-1', { $push: { processedEventIds: 'event-1' } }),
    ).rejects.toThrow(/must not push/);
    await connection.close();
  });

  it('inserts a document keyed by the event once and reports the redelivery as a duplicate', async () => {
    const connection = await mongoose.createConnection(databaseUrl(uniqueName('insert-once'))).asPromise();
    const Documents = connection.model(
      'IssuedDocument',
      new Schema({ _id: { type: String, required: true }, kind: { type: String, required: true } }),
    );
    await Documents.init();
    try {
      expect(await insertOnce(Documents, { _id: 'event-1', kind: 'Meldebestätigung' })).toBe('inserted');
      expect(await insertOnce(Documents, { _id: 'event-1', kind: 'Meldebestätigung' })).toBe('duplicate');
      expect(await Documents.countDocuments()).toBe(1);
      await expect(insertOnce(Documents, { _id: 'event-2' })).rejects.toMatchObject({ name: 'ValidationError' });
    } finally {
      await connection.dropDatabase();
      await connection.close();
    }
  });
});
