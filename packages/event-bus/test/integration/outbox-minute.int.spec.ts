import { databaseUrl, TopicRecorder, uniqueName } from '@buergerservice/testing';
import mongoose, { type mongo } from 'mongoose';
import { type EventBus, minuteOf, OutboxRelay, type OutboxEntry, outboxEntry, withOutbox } from '../../src/index.js';
import { AddressChanged, addressChanged, type Residence, residenceSchema, testBus } from './support.js';

// How the relay finds recent outbox entries on the real database: by the
// top-level minute bucket that every write through the model keeps, looked
// up by equality (which FerretDB answers from its index), instead of the
// range on `outbox.recordedAt` (which FerretDB answers by reading the whole
// collection, seconds per scan at tens of thousands of documents).

describe('the outbox minute bucket', () => {
  let bus: EventBus;
  let topic: string;
  const connection = mongoose.createConnection();
  let Residences: mongoose.Model<Residence>;
  /** The filters of the `find` commands sent for the residences collection, in order. */
  const finds: mongo.Document[] = [];
  const relays: OutboxRelay[] = [];
  const recorders: TopicRecorder[] = [];

  beforeAll(async () => {
    bus = testBus('outbox-minute-test');
    await connection.openUri(databaseUrl(uniqueName('outbox-minute')), {
      serverSelectionTimeoutMS: 60_000,
      monitorCommands: true,
    });
    Residences = connection.model<Residence>('Residence', residenceSchema());
    await Residences.init();
    connection.getClient().on('commandStarted', (event) => {
      if (event.commandName === 'find' && event.command.find === Residences.collection.collectionName) {
        finds.push(event.command.filter as mongo.Document);
      }
    });
  });
  beforeEach(async () => {
    topic = uniqueName('registration-events');
    await bus.ensureTopics([topic], { partitions: 1 });
    await Residences.deleteMany({});
    await connection.collection('outbox_relay').deleteMany({});
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await Promise.all(recorders.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await bus.disconnect();
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  });

  function entry(personId: string, moveId: string, recordedAt = new Date()): OutboxEntry {
    const built = outboxEntry(AddressChanged, addressChanged(personId, moveId), {
      subject: personId,
      correlationId: `bundle-${moveId}`,
      causationId: `request-${moveId}`,
      topic,
    });
    return { ...built, recordedAt };
  }

  async function minuteOfDocument(id: string): Promise<unknown> {
    return (await Residences.collection.findOne({ _id: id as never }))?.outboxMinute;
  }

  const ago = (ms: number) => new Date(Date.now() - ms);

  it('is kept by every kind of write through the model, and only moves forward', async () => {
    const t0 = new Date('2026-11-22T10:00:30Z');
    const t1 = new Date('2026-11-22T10:01:10Z');
    const t2 = new Date('2026-11-22T10:02:50Z');

    await Residences.create({ _id: 'created', street: 'a', outbox: [entry('created', 'm1', t0)] });
    expect(await minuteOfDocument('created')).toBe('2026-11-22T10:00');

    await Residences.updateOne({ _id: 'created' }, withOutbox({ $set: { street: 'b' } }, entry('created', 'm2', t2)));
    expect(await minuteOfDocument('created')).toBe('2026-11-22T10:02');
    // A writer whose entry is older (its clock runs behind) does not move the bucket back.
    await Residences.updateOne({ _id: 'created' }, withOutbox({ $set: { street: 'c' } }, entry('created', 'm3', t1)));
    expect(await minuteOfDocument('created')).toBe('2026-11-22T10:02');

    await Residences.create({ _id: 'updated', street: 'a' });
    expect(await minuteOfDocument('updated')).toBeUndefined();
    await Residences.findOneAndUpdate(
      { _id: 'updated' },
      withOutbox({ $inc: { moves: 1 } }, entry('updated', 'm4', t1)),
    );
    expect(await minuteOfDocument('updated')).toBe('2026-11-22T10:01');

    await Residences.insertMany([
      { _id: 'many-1', street: 'a', outbox: [entry('many-1', 'm5', t0), entry('many-1', 'm6', t1)] },
      { _id: 'many-2', street: 'a' },
    ]);
    expect(await minuteOfDocument('many-1')).toBe('2026-11-22T10:01');
    expect(await minuteOfDocument('many-2')).toBeUndefined();

    const loaded = await Residences.findById('many-2').orFail();
    loaded.outbox.push(entry('many-2', 'm7', t2));
    await loaded.save();
    expect(await minuteOfDocument('many-2')).toBe('2026-11-22T10:02');
  });

  it('after its first pass, the relay finds new entries by minute, answered from the index', async () => {
    const recorder = await TopicRecorder.start(topic);
    recorders.push(recorder);
    const relay = new OutboxRelay({ bus, models: [Residences], name: uniqueName('relay') });
    relays.push(relay);

    await Residences.create({ _id: 'p1', street: 'a', outbox: [entry('p1', 'first')] });
    finds.length = 0;
    expect((await relay.runOnce()).published).toBe(1);
    // The first pass of a relay reads by the range: it also finds entries written without a bucket.
    expect(finds.map((f) => Object.keys(f))).toEqual([['outbox.recordedAt']]);

    // Written since: a use case's update, an entry that became visible late (still inside the look-back),
    // and one from a replica whose clock runs 30 s ahead.
    await Residences.create({ _id: 'p2', street: 'a' });
    await Residences.updateOne({ _id: 'p2' }, withOutbox({ $set: { street: 'b' } }, entry('p2', 'update')));
    await Residences.create({ _id: 'p3', street: 'a', outbox: [entry('p3', 'late', ago(30_000))] });
    await Residences.create({ _id: 'p4', street: 'a', outbox: [entry('p4', 'ahead', new Date(Date.now() + 30_000))] });
    finds.length = 0;
    expect((await relay.runOnce()).published).toBe(3);
    expect(finds.length).toBeGreaterThanOrEqual(2);
    for (const filter of finds) expect(Object.keys(filter).sort()).toEqual(['outboxMinute']);
    const minutes = finds.map((f) => f.outboxMinute as string);
    expect(minutes).toContain(minuteOf(ago(30_000)));
    expect(minutes).toContain(minuteOf(Date.now()));

    await recorder.waitFor(() => true, { count: 4 });
    const moves = recorder.messages.map((m) => m.headers.ce_subject);
    expect(moves.sort()).toEqual(['p1', 'p2', 'p3', 'p4']);

    // Nothing is published twice by later passes.
    expect((await relay.runOnce()).published).toBe(0);

    const server = await connection.db?.admin().command({ buildInfo: 1 });
    if (!server || !('ferretdbVersion' in server)) return; // a real MongoDB plans on its own
    const plan = JSON.stringify(await Residences.collection.find({ outboxMinute: minutes[0] }).explain());
    expect(plan).toMatch(/SEARCH .* USING INDEX \S*_outboxMinute_1\b/);
  });

  it('finds entries written without a bucket (a raw driver write) in the first pass of a relay', async () => {
    const name = uniqueName('relay');
    const first = new OutboxRelay({ bus, models: [Residences], name });
    relays.push(first);
    await Residences.create({ _id: 'q1', street: 'a', outbox: [entry('q1', 'first')] });
    expect((await first.runOnce()).published).toBe(1);

    // Bypasses the model's middleware, as a write from before the bucket existed would have.
    await Residences.collection.insertOne({ _id: 'q2', street: 'a', outbox: [entry('q2', 'raw')] } as never);
    expect((await first.runOnce()).published).toBe(0);

    const restarted = new OutboxRelay({ bus, models: [Residences], name });
    relays.push(restarted);
    expect((await restarted.runOnce()).published).toBe(1);
  });
});
