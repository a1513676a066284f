import { RegistrationEvents, registration } from '@buergerservice/contracts';
import { buildLogger } from '@buergerservice/telemetry';
import type { KafkaMessage, Message } from 'kafkajs';
import { decodeDeadLetterHeaders } from './dead-letter.js';
import { Dispatcher } from './dispatch.js';
import { encodeEventHeaders } from './headers.js';
import { retryPolicy } from './retry.js';
import { type ConsumedEventMeta, on, routeTable, type Subscription } from './subscription.js';

// The dispatcher's decisions without Kafka: dead letters go to an in-memory
// sink. The same paths run against a real broker in the integration tests.

const payload = registration.AddressChangeRevoked.fromPartial({ moveId: 'move-1', personId: 'person-1' });

type RecordBatchEntry = Extract<KafkaMessage, { headers: object }>;

function record(overrides: Partial<RecordBatchEntry> & { type?: string } = {}): RecordBatchEntry {
  const { type, ...rest } = overrides;
  return {
    key: Buffer.from('person-1'),
    value: Buffer.from(registration.AddressChangeRevoked.encode(payload).finish()),
    timestamp: '0',
    attributes: 0,
    offset: '17',
    headers: encodeEventHeaders({
      id: 'event-1',
      type: type ?? RegistrationEvents.AddressChangeRevoked.typeName,
      source: '/buergerservice/registration',
      time: new Date('2025-03-01T10:00:00Z'),
      subject: 'person-1',
      correlationId: 'bundle-1',
      causationId: 'request-1',
    }),
    ...rest,
  };
}

function setup(handlers: Subscription[], options: { attempts?: number } = {}) {
  const sent: { topic: string; messages: Message[] }[] = [];
  const lines: Record<string, unknown>[] = [];
  const logger = buildLogger(
    { service: 'test', level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const dispatcher = new Dispatcher({
    groupId: 'vehicle',
    routes: routeTable(handlers),
    retry: retryPolicy({ attempts: options.attempts ?? 3, initialDelayMs: 1, maxDelayMs: 2, jitter: 0 }),
    bus: { sendRecords: async (topic, messages) => void sent.push({ topic, messages }) },
    logger,
  });
  const stop = new AbortController();
  let heartbeats = 0;
  const dispatch = (message: KafkaMessage) =>
    dispatcher.dispatch({
      topic: 'registration.events.v1',
      partition: 1,
      message,
      heartbeat: async () => void heartbeats++,
      signal: stop.signal,
    });
  return { sent, lines, dispatch, stop, heartbeats: () => heartbeats };
}

describe('Dispatcher', () => {
  it('hands the decoded payload and the metadata to the handler', async () => {
    const calls: [registration.AddressChangeRevoked, ConsumedEventMeta][] = [];
    const { dispatch, sent } = setup([
      on(RegistrationEvents.AddressChangeRevoked, async (p, meta) => void calls.push([p, meta])),
    ]);
    expect(await dispatch(record())).toBe('handled');
    expect(sent).toEqual([]);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.[0]).toEqual(payload);
    expect(calls[0]?.[1]).toMatchObject({
      id: 'event-1',
      type: RegistrationEvents.AddressChangeRevoked.typeName,
      source: '/buergerservice/registration',
      subject: 'person-1',
      correlationId: 'bundle-1',
      causationId: 'request-1',
      topic: 'registration.events.v1',
      partition: 1,
      offset: '17',
      consumerGroup: 'vehicle',
      attempt: 1,
    });
    expect(calls[0]?.[1].time.toISOString()).toBe('2025-03-01T10:00:00.000Z');
  });

  it('reports a duplicate the handler found', async () => {
    const { dispatch } = setup([on(RegistrationEvents.AddressChangeRevoked, async () => 'duplicate')]);
    expect(await dispatch(record())).toBe('duplicate');
  });

  it('skips a type it has no handler for and says which type', async () => {
    const { dispatch, sent, lines } = setup([on(RegistrationEvents.AddressChangeRevoked, async () => undefined)]);
    expect(await dispatch(record({ type: 'buergerservice.registration.v1.SomethingNew' }))).toBe('skipped');
    expect(sent).toEqual([]);
    expect(lines).toContainEqual(
      expect.objectContaining({
        eventType: 'buergerservice.registration.v1.SomethingNew',
        msg: expect.stringContaining('skipped'),
      }),
    );
  });

  it('dead-letters a record with broken headers at once, as malformed', async () => {
    let calls = 0;
    const { dispatch, sent } = setup([on(RegistrationEvents.AddressChangeRevoked, async () => void calls++)]);
    const message = record();
    delete message.headers?.ce_id;
    expect(await dispatch(message)).toBe('dead-lettered');
    expect(calls).toBe(0);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.topic).toBe('vehicle.dlq');
    const info = decodeDeadLetterHeaders(sent[0]?.messages[0]?.headers);
    expect(info).toMatchObject({ reason: 'malformed', attempts: 0, originalOffset: '17', originalPartition: 1 });
    expect(info.error).toContain('ce_id is missing');
    expect(sent[0]?.messages[0]?.value).toBe(message.value);
  });

  it('dead-letters an undecodable payload at once, as malformed', async () => {
    const { dispatch, sent } = setup([on(RegistrationEvents.AddressChangeRevoked, async () => undefined)]);
    expect(await dispatch(record({ value: Buffer.from([0x0a, 0xff, 0x01]) }))).toBe('dead-lettered');
    expect(decodeDeadLetterHeaders(sent[0]?.messages[0]?.headers).reason).toBe('malformed');
  });

  it('retries a failing handler and succeeds without a dead letter', async () => {
    const attempts: number[] = [];
    const { dispatch, sent, heartbeats } = setup([
      on(RegistrationEvents.AddressChangeRevoked, async (_p, meta) => {
        attempts.push(meta.attempt);
        if (meta.attempt < 3) throw new Error('store unavailable');
      }),
    ]);
    expect(await dispatch(record())).toBe('handled');
    expect(attempts).toEqual([1, 2, 3]);
    expect(heartbeats()).toBe(2);
    expect(sent).toEqual([]);
  });

  it('dead-letters after the last attempt with the error and the attempt count', async () => {
    const { dispatch, sent } = setup([
      on(RegistrationEvents.AddressChangeRevoked, async () => {
        throw new RangeError('no vehicle register entry for person-1');
      }),
    ]);
    expect(await dispatch(record())).toBe('dead-lettered');
    const info = decodeDeadLetterHeaders(sent[0]?.messages[0]?.headers);
    expect(info).toMatchObject({
      reason: 'handler-failed',
      attempts: 3,
      consumerGroup: 'vehicle',
      originalTopic: 'registration.events.v1',
      error: 'RangeError: no vehicle register entry for person-1',
    });
    expect(sent[0]?.messages[0]?.headers?.ce_id).toBe('event-1');
  });

  it('abandons a failing record when the consumer stops: no retry, no dead letter', async () => {
    let calls = 0;
    const { dispatch, sent, stop } = setup([
      on(RegistrationEvents.AddressChangeRevoked, async () => {
        calls++;
        stop.abort();
        throw new Error('interrupted');
      }),
    ]);
    expect(await dispatch(record())).toBe('abandoned');
    expect(calls).toBe(1);
    expect(sent).toEqual([]);
  });

  it('fails loudly when the dead letter cannot be written, so the record is not committed', async () => {
    const dispatcher = new Dispatcher({
      groupId: 'vehicle',
      routes: routeTable([]),
      retry: retryPolicy(),
      bus: {
        sendRecords: async () => {
          throw new Error('broker down');
        },
      },
      logger: buildLogger({ service: 'test', level: 'silent' }),
    });
    const message = record();
    delete message.headers?.ce_type;
    await expect(
      dispatcher.dispatch({
        topic: 't',
        partition: 0,
        message,
        heartbeat: async () => undefined,
        signal: new AbortController().signal,
      }),
    ).rejects.toMatchObject({
      name: 'DeadLetterWriteError',
      cause: expect.objectContaining({ message: 'broker down' }),
    });
  });
});
