import { registration } from '@buergerservice/contracts';
import type { mongo } from 'mongoose';
import { TopicRecorder, uniqueName, waitUntil } from '@buergerservice/testing';
import {
  type ApplyOutcome,
  applyOnce,
  type ConsumedEventMeta,
  type EventBus,
  type EventConsumer,
  type OutboxEntry,
  OutboxRelay,
  type OutboxRelayOptions,
  on,
  outboxEntry,
  withOutbox,
} from '../../src/index.js';
import {
  AddressChanged,
  addressChanged,
  memoryLogger,
  openTestDatabase,
  type Residence,
  residenceSchema,
  type TestDatabase,
  testBus,
} from './support.js';

// The outbox end to end on the real database (FerretDB in the air-gapped
// setup) and the real broker: at-least-once on the wire, exactly once in
// effect, also across a relay crash and a consumer crash.

describe('the outbox relay', () => {
  let bus: EventBus;
  let db: TestDatabase;
  let topic: string;
  let groupId: string;
  const relays: OutboxRelay[] = [];
  const consumers: EventConsumer[] = [];
  const recorders: TopicRecorder[] = [];
  const { logger, lines } = memoryLogger();

  beforeAll(async () => {
    bus = testBus('outbox-test', logger);
    db = await openTestDatabase('outbox');
  });
  beforeEach(async () => {
    topic = uniqueName('registration-events');
    groupId = uniqueName('vehicle');
    await bus.ensureTopics([topic], { partitions: 3, deadLetterGroups: [groupId] });
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
    await Promise.all(recorders.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await bus.disconnect();
    await db.close();
  });

  function relay(options: Partial<OutboxRelayOptions> = {}): OutboxRelay {
    const r = new OutboxRelay({ bus, models: [db.Residences], pollIntervalMs: 50, ...options });
    relays.push(r);
    return r;
  }

  async function record(): Promise<TopicRecorder> {
    const recorder = await TopicRecorder.start(topic);
    recorders.push(recorder);
    return recorder;
  }

  function entry(personId: string, moveId: string): OutboxEntry {
    return outboxEntry(AddressChanged, addressChanged(personId, moveId), {
      subject: personId,
      correlationId: `bundle-${moveId}`,
      causationId: `request-${moveId}`,
      topic,
    });
  }

  /** The use case: the new address and the event about it, in one single-document write. */
  async function recordMove(personId: string, moveId: string): Promise<OutboxEntry> {
    const event = entry(personId, moveId);
    const result = await db.Residences.updateOne(
      { _id: personId },
      withOutbox({ $set: { street: `Street of ${moveId}` }, $inc: { moves: 1 } }, event),
    );
    expect(result.modifiedCount).toBe(1);
    return event;
  }

  /** The consumer's effect: count the address update on the holder, once per event. */
  type Outcomes = Map<string, ApplyOutcome[]>;
  function applyMove(outcomes: Outcomes) {
    return async (p: registration.AddressChanged, m: ConsumedEventMeta) => {
      const outcome = await applyOnce(db.Holders, { _id: p.personId }, m.id, {
        $inc: { addressUpdates: 1 },
        $set: { lastMoveId: p.moveId },
        $push: { seen: p.moveId },
      });
      outcomes.set(p.moveId, [...(outcomes.get(p.moveId) ?? []), outcome]);
      return outcome;
    };
  }

  async function consume(handler: ReturnType<typeof applyMove>): Promise<EventConsumer> {
    const consumer = bus.consumer({ groupId, topics: [topic], handlers: [on(AddressChanged, handler)] });
    consumers.push(consumer);
    await consumer.start();
    return consumer;
  }

  async function holder(personId: string) {
    return db.Holders.findById(personId).select('+processedEventIds').lean().orFail();
  }

  it('publishes what a use case wrote with its state change, hands it to the hook, and never writes the aggregate', async () => {
    const person = uniqueName('person');
    const created = entry(person, 'move-1');
    await db.Residences.create({ _id: person, street: 'Augustusplatz', outbox: [created] });
    const moved = await recordMove(person, 'move-2');
    const before = await db.Residences.findById(person).lean().orFail();
    const published: { ids: string[]; doc: unknown }[] = [];
    const recorder = await record();

    const result = await relay({
      onPublished: async (entries, doc) => void published.push({ ids: entries.map((e) => e.id), doc: doc._id }),
    }).runOnce();

    expect(result).toEqual({ published: 2, failed: 0 });
    const messages = await recorder.waitFor(() => true, { count: 2 });
    expect(messages.map((m) => m.headers.ce_id)).toEqual([created.id, moved.id]);
    expect(messages.map((m) => m.key)).toEqual([person, person]);
    expect(messages[1]?.headers.ce_correlationid).toBe('bundle-move-2');
    expect(published).toEqual([{ ids: [created.id, moved.id], doc: person }]);
    // The relay keeps its progress elsewhere: the aggregate is exactly as the use case left it.
    expect(await db.Residences.findById(person).lean().orFail()).toEqual(before);
    expect(before).toMatchObject({ street: 'Street of move-2', moves: 1 });
    expect(await relay().runOnce()).toEqual({ published: 0, failed: 0 });
    expect(recorder.messages).toHaveLength(2);
  });

  it('publishes the documents this process wrote between scans, and scans when kicked without a notice', async () => {
    const recorder = await record();
    const r = relay({ scanIntervalMs: 3_600_000 });
    r.start();
    const person = uniqueName('person');
    // The first pass is a scan; after it, only written documents are read until the next one (an hour).
    await db.Residences.create({ _id: person, street: 'Augustusplatz' });
    const created = entry(person, 'move-1');
    await db.Residences.updateOne({ _id: person }, withOutbox({ $set: { street: 'Nikolaistraße' } }, created));
    r.kick();
    await recorder.waitFor((m) => m.headers.ce_id === created.id);

    // Written past mongoose (no notice): the next pass has no notice either, so the kick asks for a scan.
    const unnoticed = entry(person, 'move-2');
    // The raw driver, typed by mongoose for ObjectId keys; these residences are keyed by person id.
    const raw = db.Residences.collection as unknown as mongo.Collection<{ _id: string }>;
    await raw.updateOne({ _id: person }, { $push: { outbox: unnoticed } });
    r.kick();
    await recorder.waitFor((m) => m.headers.ce_id === unnoticed.id);

    // Both kinds in one pass: the notice is served at once, the unnoticed entry waits for a scan.
    const quiet = entry(person, 'move-3');
    await raw.updateOne({ _id: person }, { $push: { outbox: quiet } });
    const other = uniqueName('person');
    const noticed = entry(other, 'move-4');
    await db.Residences.create({ _id: other, street: 'Markt', outbox: [noticed] });
    r.kick();
    await recorder.waitFor((m) => m.headers.ce_id === noticed.id);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(recorder.messages.map((m) => m.headers.ce_id)).not.toContain(quiet.id);
    expect(await relay().runOnce()).toEqual({ published: 1, failed: 0 });
    await recorder.waitFor((m) => m.headers.ce_id === quiet.id);
  });

  it('publishes an entry appended while a batch was being published in the next pass', async () => {
    const person = uniqueName('person');
    const first = entry(person, 'move-1');
    await db.Residences.create({ _id: person, street: 'Augustusplatz', outbox: [first] });
    let appended: OutboxEntry | undefined;
    const seen: string[][] = [];
    const r = relay({
      onPublished: async (entries) => {
        seen.push(entries.map((e) => e.id));
        appended ??= await recordMove(person, 'move-2');
      },
    });

    expect((await r.runOnce()).published).toBe(1);
    expect((await r.runOnce()).published).toBe(1);
    expect(seen).toEqual([[first.id], [appended?.id]]);
    expect((await r.runOnce()).published).toBe(0);
  });

  it('delivers exactly once in effect when the relay dies after publishing and before marking', async () => {
    const person = uniqueName('person');
    await db.Holders.create({ _id: person });
    await db.Residences.create({ _id: person, street: 'Augustusplatz' });
    const event = await recordMove(person, 'move-1');
    const outcomes: Outcomes = new Map();
    await consume(applyMove(outcomes));
    const recorder = await record();

    // The first relay publishes, then "crashes" before it records the entry
    // as published.
    const crashing = relay({
      onPublished: async () => {
        throw new Error('simulated crash between publishing and marking');
      },
    });
    expect(await crashing.runOnce()).toEqual({ published: 0, failed: 1 });
    await crashing.stop();
    await recorder.waitFor((m) => m.headers.ce_id === event.id);
    expect(lines.some((l) => String(l.msg).includes('stay pending'))).toBe(true);
    expect(await crashing.samples()).toEqual([expect.objectContaining({ pending: 1 })]);

    // A restarted relay finds it unmarked and publishes it again.
    const restarted = relay();
    expect((await restarted.runOnce()).published).toBe(1);
    const copies = await recorder.waitFor((m) => m.headers.ce_id === event.id, { count: 2 });
    expect(copies).toHaveLength(2);
    await waitUntil(() => outcomes.get('move-1')?.length === 2, { message: 'both copies consumed' });

    expect(outcomes.get('move-1')).toEqual(['applied', 'duplicate']);
    const after = await holder(person);
    expect(after.addressUpdates).toBe(1);
    expect(after.processedEventIds).toEqual([event.id]);
    expect(await restarted.samples()).toEqual([expect.objectContaining({ pending: 0 })]);
  });

  it('delivers exactly once in effect when the consumer dies after its effect and before committing', async () => {
    const person = uniqueName('person');
    await db.Holders.create({ _id: person });
    await db.Residences.create({ _id: person, street: 'Augustusplatz' });
    const outcomes: Outcomes = new Map();
    const effect = applyMove(outcomes);
    let crashed = false;
    const first = bus.consumer({
      groupId,
      topics: [topic],
      handlers: [
        on(AddressChanged, async (p, m) => {
          const outcome = await effect(p, m);
          if (p.moveId === 'move-crash' && !crashed) {
            crashed = true;
            // Gone before the offset is committed: the effect is in the
            // database, the broker still has the record as unhandled.
            void first.stop();
            throw new Error('simulated crash after the effect');
          }
          return outcome;
        }),
      ],
    });
    consumers.push(first);
    await first.start();
    await recordMove(person, 'move-before');
    const crashing = await recordMove(person, 'move-crash');
    await relay().runOnce();
    await waitUntil(() => crashed && first.state === 'stopped', { message: 'the consumer crashed' });

    await consume(effect);
    await recordMove(person, 'move-after');
    await relay().runOnce();
    await waitUntil(() => outcomes.has('move-after'), { message: 'the event after the crash handled' });

    expect(outcomes.get('move-crash')).toEqual(['applied', 'duplicate']);
    expect(outcomes.get('move-after')).toEqual(['applied']);
    const after = await holder(person);
    expect(after.addressUpdates).toBe(3);
    expect(after.seen).toEqual(['move-before', 'move-crash', 'move-after']);
    expect(after.processedEventIds).toContain(crashing.id);
  });

  it('keeps each person’s events in order and loses none while use cases write, with two relays running', async () => {
    const persons = [uniqueName('person-a'), uniqueName('person-b'), uniqueName('person-c')];
    for (const person of persons) {
      await db.Holders.create({ _id: person });
      await db.Residences.create({ _id: person, street: 'Augustusplatz' });
    }
    const outcomes: Outcomes = new Map();
    await consume(applyMove(outcomes));
    const recorder = await record();
    relay({ batchSize: 2, name: topic }).start();
    relay({ batchSize: 2, name: topic }).start();

    const moves = 15;
    const expected = new Map(persons.map((p) => [p, [] as string[]]));
    for (let n = 0; n < moves; n++) {
      for (const person of persons) {
        const moveId = `${person}-move-${String(n).padStart(2, '0')}`;
        await recordMove(person, moveId);
        expected.get(person)?.push(moveId);
      }
    }

    await waitUntil(
      async () => (await db.Holders.find({ addressUpdates: moves }).countDocuments()) === persons.length,
      {
        timeoutMs: 60_000,
        message: 'every move applied',
      },
    );
    for (const person of persons) {
      const applied = await holder(person);
      expect(applied.seen).toEqual(expected.get(person));
      expect(applied.addressUpdates).toBe(moves);
      // On the wire too: in order, and once each, as only the leading relay publishes.
      const onWire = recorder.messages
        .filter((x) => x.key === person)
        .map((m) => registration.AddressChanged.decode(m.value ?? Buffer.alloc(0)).moveId);
      expect(onWire).toEqual(expected.get(person));
      expect((await db.Residences.findById(person).lean().orFail()).moves).toBe(moves);
    }
  });

  it('hands the leadership over at once when the leading relay stops', async () => {
    const person = uniqueName('person');
    await db.Residences.create({ _id: person, street: 'Augustusplatz' });
    const recorder = await record();
    const first = relay({ name: topic, leadershipTtlMs: 600_000 });
    first.start();
    const first1 = await recordMove(person, 'move-1');
    await recorder.waitFor((m) => m.headers.ce_id === first1.id);
    const second = relay({ name: topic, leadershipTtlMs: 600_000 });
    second.start();
    await first.stop();

    const next = await recordMove(person, 'move-2');
    // Well within the (ten-minute) lease: the stopped leader resigned.
    await recorder.waitFor((m) => m.headers.ce_id === next.id, { timeoutMs: 30_000 });
    expect(recorder.messages.map((m) => m.headers.ce_id)).toEqual([first1.id, next.id]);
  });

  it('reports the backlog and the age of the oldest pending entry', async () => {
    // A collection of its own: no earlier pass has moved its watermark.
    const Fresh = db.connection.model<Residence>(uniqueName('Fresh'), residenceSchema());
    await Fresh.init();
    const person = uniqueName('person');
    const waiting = { ...entry(person, 'move-1'), recordedAt: new Date(Date.now() - 120_000) };
    await Fresh.create({ _id: person, street: 'Augustusplatz', outbox: [waiting, entry(person, 'move-2')] });
    const r = relay({ models: [Fresh] });
    const [before] = await r.samples();
    expect(before?.outbox).toBe(Fresh.collection.collectionName);
    expect(before?.pending).toBe(2);
    expect(before?.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(120);

    expect((await r.runOnce()).published).toBe(2);
    const [after] = await r.samples();
    expect(after).toMatchObject({ pending: 0, oldestPendingAgeSeconds: 0 });
  });
});
