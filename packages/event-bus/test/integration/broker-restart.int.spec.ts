import { restartContainer, uniqueName, waitUntil } from '@buergerservice/testing';
import {
  applyOnce,
  type EventBus,
  type EventConsumer,
  OutboxRelay,
  on,
  outboxEntry,
  withOutbox,
} from '../../src/index.js';
import {
  AddressChanged,
  addressChanged,
  memoryLogger,
  openTestDatabase,
  type TestDatabase,
  testBus,
} from './support.js';

// The relay and a consumer group ride out a broker restart: every event
// written before, during and after it is applied exactly once, in order.

describe('a Kafka broker restart', () => {
  let bus: EventBus;
  let db: TestDatabase;
  let consumer: EventConsumer | undefined;
  let relay: OutboxRelay | undefined;
  const { logger } = memoryLogger('warn');

  beforeAll(async () => {
    bus = testBus('restart-test', logger);
    db = await openTestDatabase('restart');
  });
  afterAll(async () => {
    await relay?.stop();
    await consumer?.stop();
    await bus.disconnect();
    await db.close();
  });

  it('loses and duplicates nothing in effect', async () => {
    const topic = uniqueName('registration-events');
    const groupId = uniqueName('vehicle');
    await bus.ensureTopics([topic], { partitions: 3, deadLetterGroups: [groupId] });
    const person = uniqueName('person');
    await db.Holders.create({ _id: person });
    await db.Residences.create({ _id: person, street: 'Augustusplatz' });
    consumer = bus.consumer({
      groupId,
      topics: [topic],
      handlers: [
        on(AddressChanged, (p, m) =>
          applyOnce(db.Holders, { _id: p.personId }, m.id, { $inc: { addressUpdates: 1 }, $push: { seen: p.moveId } }),
        ),
      ],
    });
    await consumer.start();
    // Scans only at its start: what is written from then on reaches Kafka through the notices of the
    // writes, which the relay keeps while the broker is away and relays once it is back.
    relay = new OutboxRelay({
      bus,
      models: [db.Residences],
      pollIntervalMs: 100,
      scanIntervalMs: 3_600_000,
      name: topic,
    });
    relay.start();

    const expected: string[] = [];
    const move = async (n: number) => {
      const moveId = `move-${String(n).padStart(2, '0')}`;
      const entry = outboxEntry(AddressChanged, addressChanged(person, moveId), {
        subject: person,
        correlationId: `bundle-${n}`,
        causationId: `request-${n}`,
        topic,
      });
      await db.Residences.updateOne({ _id: person }, withOutbox({ $inc: { moves: 1 } }, entry));
      expected.push(moveId);
    };
    const applied = async () => (await db.Holders.findById(person).lean().orFail()).addressUpdates;

    for (let n = 0; n < 5; n++) await move(n);
    await waitUntil(async () => (await applied()) === 5, { timeoutMs: 60_000, message: 'the first five applied' });

    const restarting = restartContainer('kafka');
    for (let n = 5; n < 10; n++) await move(n);
    await restarting;
    for (let n = 10; n < 15; n++) await move(n);

    await waitUntil(async () => (await applied()) === 15, {
      timeoutMs: 180_000,
      intervalMs: 500,
      message: 'all fifteen applied after the restart',
    });
    const after = await db.Holders.findById(person).lean().orFail();
    expect(after.seen).toEqual(expected);
    expect(after.addressUpdates).toBe(15);
    expect(consumer.state).not.toBe('stopped');
  });
});
