import { registration } from '@buergerservice/contracts';
import { TopicRecorder, uniqueName, waitUntil } from '@buergerservice/testing';
import {
  type ConsumedEventMeta,
  deadLetterTopic,
  type EventBus,
  type EventConsumer,
  encodeEvent,
  encodeEventHeaders,
  inspectDeadLetter,
  listDeadLetters,
  on,
  replayDeadLetters,
} from '../../src/index.js';
import { AddressChanged, AddressChangeRevoked, addressChanged, memoryLogger, testBus } from './support.js';

// The consumer runner against a real broker: wire format, routing, retries,
// dead letters and their replay, graceful stop.

const fastRetry = { attempts: 3, initialDelayMs: 20, maxDelayMs: 100, jitter: 0 };

describe('publishing and consuming events', () => {
  let bus: EventBus;
  let topic: string;
  let groupId: string;
  const consumers: EventConsumer[] = [];
  const recorders: TopicRecorder[] = [];
  const { logger, lines } = memoryLogger();

  beforeAll(() => {
    bus = testBus('consumer-test', logger);
  });
  beforeEach(async () => {
    topic = uniqueName('registration-events');
    groupId = uniqueName('vehicle');
    await bus.ensureTopics([topic], { partitions: 3, deadLetterGroups: [groupId] });
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
    await Promise.all(recorders.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await bus.disconnect();
  });

  async function record(topics: string | string[]): Promise<TopicRecorder> {
    const recorder = await TopicRecorder.start(topics);
    recorders.push(recorder);
    return recorder;
  }

  async function consume(options: Omit<Parameters<EventBus['consumer']>[0], 'topics' | 'groupId'>) {
    const consumer = bus.consumer({ groupId, topics: [topic], retry: fastRetry, ...options });
    consumers.push(consumer);
    await consumer.start();
    return consumer;
  }

  const meta = (personId: string) => ({
    subject: personId,
    correlationId: 'bundle-1',
    causationId: 'request-1',
    topic,
  });

  it('puts the CloudEvents binary-mode headers and the person id key on the wire', async () => {
    const recorder = await record(topic);
    const time = new Date('2025-03-01T09:30:00.250Z');
    const event = encodeEvent(AddressChanged, addressChanged('person-1', 'move-1'), {
      ...meta('person-1'),
      correlationId: 'bundle-42',
      causationId: 'request-7',
      time,
    });
    await bus.publish(topic, [event]);

    const [message] = await recorder.waitFor(() => true);
    expect(message?.key).toBe('person-1');
    expect(message?.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_type: 'buergerservice.registration.v1.AddressChanged',
      ce_source: '/buergerservice/registration',
      ce_time: '2025-03-01T09:30:00.250Z',
      ce_subject: 'person-1',
      ce_correlationid: 'bundle-42',
      ce_causationid: 'request-7',
      'content-type': 'application/protobuf',
    });
    expect(registration.AddressChanged.decode(message?.value ?? Buffer.alloc(0))).toEqual(
      addressChanged('person-1', 'move-1'),
    );
  });

  it('hands typed payloads and metadata to the handlers and skips types it has no handler for', async () => {
    const received: [string, ConsumedEventMeta][] = [];
    await consume({
      handlers: [on(AddressChanged, async (payload, m) => void received.push([payload.moveId, m]))],
    });
    const revoked = encodeEvent(
      AddressChangeRevoked,
      registration.AddressChangeRevoked.fromPartial({ moveId: 'move-0', personId: 'person-1' }),
      meta('person-1'),
    );
    const changed = encodeEvent(AddressChanged, addressChanged('person-1', 'move-1'), meta('person-1'));
    await bus.publish(topic, [revoked, changed]);

    await waitUntil(() => received.length >= 1, { message: 'the AddressChanged handler ran' });
    const [moveId, m] = received[0] ?? [];
    expect(moveId).toBe('move-1');
    expect(m).toMatchObject({
      id: changed.id,
      type: AddressChanged.typeName,
      source: '/buergerservice/registration',
      subject: 'person-1',
      correlationId: 'bundle-1',
      causationId: 'request-1',
      topic,
      consumerGroup: groupId,
      attempt: 1,
    });
    expect(m?.time.getTime()).toBe(changed.time.getTime());
    expect(lines.some((l) => l.eventType === AddressChangeRevoked.typeName && String(l.msg).includes('skipped'))).toBe(
      true,
    );
    expect(await listDeadLetters(bus.kafka, deadLetterTopic(groupId))).toEqual([]);
  });

  it('dead-letters poison messages at once, as malformed, and keeps processing later ones', async () => {
    const handled: string[] = [];
    const consumer = await consume({
      handlers: [on(AddressChanged, async (p) => void handled.push(p.moveId))],
    });
    const dlq = await record(deadLetterTopic(groupId));
    const good = encodeEvent(AddressChanged, addressChanged('person-1', 'move-good'), meta('person-1'));
    const headers = encodeEventHeaders({
      id: 'poison-1',
      type: AddressChanged.typeName,
      source: '/elsewhere',
      time: new Date(),
      subject: 'person-1',
      correlationId: 'bundle-1',
      causationId: 'request-1',
    });
    const { ce_id: _missing, ...withoutId } = headers;
    await bus.sendRecords(topic, [
      // Field 1 length-delimited, claiming 255 bytes that are not there.
      { key: 'person-1', value: Buffer.from([0x0a, 0xff, 0x01]), headers },
      { key: 'person-1', value: Buffer.from('not an event at all'), headers: withoutId },
    ]);
    await bus.publish(topic, [good]);

    await waitUntil(() => handled.includes('move-good'), { message: 'the good event after the poison' });
    const dead = await dlq.waitFor(() => true, { count: 2 });
    expect(dead.map((d) => d.headers.dlq_reason)).toEqual(['malformed', 'malformed']);
    expect(dead[0]?.headers).toMatchObject({
      ce_id: 'poison-1',
      dlq_original_topic: topic,
      dlq_consumer_group: groupId,
      dlq_attempts: '0',
    });
    expect(dead[0]?.value).toEqual(Buffer.from([0x0a, 0xff, 0x01]));
    expect(dead[1]?.headers.dlq_error).toContain('ce_id is missing');
    expect(dead[1]?.value?.toString()).toBe('not an event at all');
    expect(handled).toEqual(['move-good']);
    expect(consumer.state).toBe('running');
  });

  it('retries a handler that fails a few times and then succeeds', async () => {
    const attempts: number[] = [];
    await consume({
      handlers: [
        on(AddressChanged, async (_p, m) => {
          attempts.push(m.attempt);
          if (m.attempt < 3) throw new Error('vehicle register temporarily unavailable');
        }),
      ],
      retry: { attempts: 5, initialDelayMs: 20, maxDelayMs: 100, jitter: 0 },
    });
    await bus.publish(topic, [encodeEvent(AddressChanged, addressChanged('person-1', 'move-1'), meta('person-1'))]);

    await waitUntil(() => attempts.length >= 3, { message: 'three attempts' });
    expect(attempts).toEqual([1, 2, 3]);
    expect(await listDeadLetters(bus.kafka, deadLetterTopic(groupId))).toEqual([]);
  });

  it('dead-letters a handler that keeps failing after the bounded retries, and a replay after the fix succeeds', async () => {
    let broken = true;
    const applied: string[] = [];
    const attempts: number[] = [];
    await consume({
      handlers: [
        on(AddressChanged, async (p, m) => {
          attempts.push(m.attempt);
          if (broken) throw new Error(`no holder record for ${m.subject}`);
          applied.push(`${p.moveId}@${m.id}`);
        }),
        on(AddressChangeRevoked, async (p) => void applied.push(`revoked ${p.moveId}`)),
      ],
    });
    const dlq = await record(deadLetterTopic(groupId));
    const replays = await record(topic);
    const failing = encodeEvent(AddressChanged, addressChanged('person-1', 'move-1'), meta('person-1'));
    const later = encodeEvent(
      AddressChangeRevoked,
      registration.AddressChangeRevoked.fromPartial({ moveId: 'move-9', personId: 'person-1' }),
      meta('person-1'),
    );
    await bus.publish(topic, [failing, later]);

    const [dead] = await dlq.waitFor(() => true);
    expect(dead?.headers).toMatchObject({
      dlq_reason: 'handler-failed',
      dlq_attempts: '3',
      dlq_error: 'Error: no holder record for person-1',
      dlq_original_topic: topic,
      ce_id: failing.id,
    });
    expect(attempts).toEqual([1, 2, 3]);
    await waitUntil(() => applied.includes('revoked move-9'), { message: 'the event after the dead letter' });

    const rows = await listDeadLetters(bus.kafka, deadLetterTopic(groupId));
    expect(rows).toEqual([
      expect.objectContaining({
        offset: dead?.offset,
        originalTopic: topic,
        type: AddressChanged.typeName,
        reason: 'handler-failed',
        error: 'Error: no holder record for person-1',
      }),
    ]);
    const hidden = await inspectDeadLetter(bus.kafka, deadLetterTopic(groupId), { partition: 0, offset: '0' });
    expect(hidden.payload).toEqual(expect.stringContaining('--show-payload'));
    expect(hidden.headers.ce_id).toBe(failing.id);
    const shown = await inspectDeadLetter(
      bus.kafka,
      deadLetterTopic(groupId),
      { partition: 0, offset: '0' },
      { showPayload: true },
    );
    expect(shown.payload).toMatchObject({ moveId: 'move-1', personId: 'person-1' });

    broken = false;
    const replayed = await replayDeadLetters(bus, deadLetterTopic(groupId), {
      positions: [{ partition: 0, offset: '0' }],
    });
    expect(replayed).toEqual([{ partition: 0, offset: '0', toTopic: topic, eventId: failing.id }]);
    await waitUntil(() => applied.includes(`move-1@${failing.id}`), { message: 'the replayed event handled' });
    const [again] = await replays.waitFor((m) => m.headers.dlq_replayed_from !== undefined);
    expect(again?.headers.dlq_replayed_from).toBe(`${deadLetterTopic(groupId)}:0:0`);
    expect(again?.headers.dlq_reason).toBeUndefined();
    expect(again?.key).toBe('person-1');
  });

  it('on stop finishes the event in flight and commits it, so a restart does not see it again', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handled: string[] = [];
    const first = await consume({
      handlers: [
        on(AddressChanged, async (p) => {
          if (p.moveId === 'move-2') await gate;
          handled.push(p.moveId);
        }),
      ],
    });
    await bus.publish(topic, [
      encodeEvent(AddressChanged, addressChanged('person-1', 'move-1'), meta('person-1')),
      encodeEvent(AddressChanged, addressChanged('person-1', 'move-2'), meta('person-1')),
    ]);
    await waitUntil(() => handled.includes('move-1'), { message: 'move-1 handled' });
    const stopping = first.stop();
    release();
    await stopping;
    expect(handled).toEqual(['move-1', 'move-2']);

    const second: string[] = [];
    await consume({ handlers: [on(AddressChanged, async (p) => void second.push(p.moveId))] });
    await bus.publish(topic, [encodeEvent(AddressChanged, addressChanged('person-1', 'move-3'), meta('person-1'))]);
    await waitUntil(() => second.includes('move-3'), { message: 'move-3 handled after the restart' });
    expect(second).toEqual(['move-3']);
  });
});
