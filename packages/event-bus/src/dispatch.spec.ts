import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { RegistrationEvents, registration } from '@buergerservice/contracts';
import { buildLogger } from '@buergerservice/telemetry';
import type { KafkaMessage, Message } from 'kafkajs';
import { decodeDeadLetterHeaders } from './dead-letter.js';
import { Dispatcher } from './dispatch.js';
import { encodeEventHeaders } from './headers.js';
import { type RetryClock, retryPolicy, sleep } from './retry.js';
import { type ConsumedEventMeta, on, routeTable, type Subscription } from './subscription.js';
import type { TransientErrorClassifier } from './transient.js';

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

interface SetupOptions {
  attempts?: number;
  transientBudgetMs?: number;
  isTransient?: TransientErrorClassifier;
  clock?: RetryClock;
}

function setup(handlers: Subscription[], options: SetupOptions = {}) {
  const sent: { topic: string; messages: Message[] }[] = [];
  const lines: Record<string, unknown>[] = [];
  const logger = buildLogger(
    { service: 'test', level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const dispatcher = new Dispatcher({
    groupId: 'vehicle',
    routes: routeTable(handlers),
    retry: retryPolicy({
      attempts: options.attempts ?? 3,
      initialDelayMs: 1,
      maxDelayMs: 2,
      jitter: 0,
      ...(options.transientBudgetMs === undefined ? {} : { transientBudgetMs: options.transientBudgetMs }),
    }),
    bus: { sendRecords: async (topic, messages) => void sent.push({ topic, messages }) },
    logger,
    ...(options.isTransient ? { isTransient: options.isTransient } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
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

/** Virtual time that passes by `stepMs` per backoff (whatever the delay), so budgets run out without waiting. */
function steppingClock(stepMs: number): RetryClock {
  let time = 0;
  return {
    now: () => time,
    sleep: async (_ms, signal) => {
      if (!signal?.aborted) time += stepMs;
    },
  };
}

/** What the drills saw: the MongoDB driver's network error over a reset socket. */
function mongoNetworkError(): Error {
  const socket = Object.assign(new Error('write ECONNRESET'), { code: 'ECONNRESET', syscall: 'write' });
  return Object.assign(new Error('write ECONNRESET', { cause: socket }), { name: 'MongoNetworkError' });
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

  it('keeps the group membership alive while one attempt takes longer than the session timeout', async () => {
    jest.useFakeTimers();
    try {
      const { dispatch, heartbeats } = setup([
        // e.g. waiting 30 s for a database server to be selected
        on(RegistrationEvents.AddressChangeRevoked, () => new Promise<void>((resolve) => setTimeout(resolve, 30_000))),
      ]);
      const outcome = dispatch(record());
      await jest.advanceTimersByTimeAsync(29_000);
      expect(heartbeats()).toBe(9); // every 3 s
      await jest.advanceTimersByTimeAsync(1_000);
      expect(await outcome).toBe('handled');
      const afterwards = heartbeats();
      await jest.advanceTimersByTimeAsync(10_000);
      expect(heartbeats()).toBe(afterwards); // none once the record is handled
    } finally {
      jest.useRealTimers();
    }
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

  describe('transient failures', () => {
    it('retries a database outage beyond the attempts without dead-lettering, then handles the event', async () => {
      const attempts: number[] = [];
      const { dispatch, sent, heartbeats, lines } = setup(
        [
          on(RegistrationEvents.AddressChangeRevoked, async (_p, meta) => {
            attempts.push(meta.attempt);
            if (meta.attempt <= 10) throw mongoNetworkError();
          }),
        ],
        { attempts: 3, clock: steppingClock(1_000) },
      );
      expect(await dispatch(record())).toBe('handled');
      expect(attempts).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(sent).toEqual([]);
      // The group membership is kept alive between every two tries.
      expect(heartbeats()).toBe(10);
      const retries = lines.filter((l) => l.transient === true);
      expect(retries).toHaveLength(10);
      expect(retries.every((l) => l.countedAttempts === 0 && l.error === 'MongoNetworkError: write ECONNRESET')).toBe(
        true,
      );
      // One warning per 30 s of waiting (here: every 30 virtual seconds), the rest at debug.
      expect(retries.filter((l) => l.level === 'warn')).toHaveLength(1);
      expect(retries.filter((l) => l.level === 'debug')).toHaveLength(9);
    });

    it('warns again after 30 s of waiting on the same event', async () => {
      const { dispatch, lines } = setup(
        [
          on(RegistrationEvents.AddressChangeRevoked, async (_p, meta) => {
            if (meta.attempt <= 7) throw mongoNetworkError();
          }),
        ],
        { clock: steppingClock(10_000) },
      );
      expect(await dispatch(record())).toBe('handled');
      // Retries at 0, 10, 20, 30, 40, 50 and 60 s: warnings at 0, 30 and 60 s.
      expect(lines.filter((l) => l.transient === true && l.level === 'warn')).toHaveLength(3);
    });

    it('still dead-letters a handler failing for another reason after the attempts', async () => {
      let calls = 0;
      const { dispatch, sent } = setup(
        [
          on(RegistrationEvents.AddressChangeRevoked, async () => {
            calls++;
            // A transient failure in between spends nothing; the others do.
            throw calls === 2 ? mongoNetworkError() : new RangeError('no vehicle register entry for person-1');
          }),
        ],
        { attempts: 3, clock: steppingClock(1) },
      );
      expect(await dispatch(record())).toBe('dead-lettered');
      expect(calls).toBe(4);
      expect(decodeDeadLetterHeaders(sent[0]?.messages[0]?.headers)).toMatchObject({
        reason: 'handler-failed',
        attempts: 4,
        error: 'RangeError: no vehicle register entry for person-1',
      });
    });

    it('dead-letters once the transient budget is spent, with every call in the attempt count', async () => {
      let calls = 0;
      const { dispatch, sent, lines } = setup(
        [
          on(RegistrationEvents.AddressChangeRevoked, async () => {
            calls++;
            throw mongoNetworkError();
          }),
        ],
        { attempts: 3, transientBudgetMs: 60_000, clock: steppingClock(5_000) },
      );
      expect(await dispatch(record())).toBe('dead-lettered');
      // Calls at 0, 5, … 55 s are within the budget (12), those at 60, 65 and 70 s spend the attempts.
      expect(calls).toBe(15);
      expect(decodeDeadLetterHeaders(sent[0]?.messages[0]?.headers)).toMatchObject({
        reason: 'handler-failed',
        attempts: 15,
        error: 'MongoNetworkError: write ECONNRESET',
      });
      expect(lines).toContainEqual(
        expect.objectContaining({
          msg: 'event dead-lettered',
          attempts: 15,
          countedAttempts: 3,
          lastErrorTransient: true,
        }),
      );
    });

    it('abandons the event when the consumer stops during the transient waiting: no dead letter', async () => {
      let calls = 0;
      const clockWithRealWaits: RetryClock = {
        now: () => 0,
        // Stands for a backoff far longer than the test may take: only the abort ends it.
        sleep: (_ms, signal) => sleep(60_000, signal),
      };
      const setupResult = setup(
        [
          on(RegistrationEvents.AddressChangeRevoked, async () => {
            calls++;
            throw mongoNetworkError();
          }),
        ],
        { clock: clockWithRealWaits },
      );
      const dispatching = setupResult.dispatch(record());
      // Until the first attempt failed and the backoff began (bounded).
      for (let turn = 0; turn < 100 && calls === 0; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect(calls).toBe(1);
      setupResult.stop.abort();
      expect(await dispatching).toBe('abandoned');
      expect(calls).toBe(1);
      expect(setupResult.sent).toEqual([]);
    });

    it('uses the classifier the service passes', async () => {
      class Unavailable extends Error {
        override readonly name = 'Unavailable';
      }
      const { dispatch, sent } = setup(
        [
          on(RegistrationEvents.AddressChangeRevoked, async (_p, meta) => {
            if (meta.attempt <= 5) throw new Unavailable('register office offline');
          }),
        ],
        { attempts: 2, isTransient: (e) => e instanceof Unavailable, clock: steppingClock(1) },
      );
      expect(await dispatch(record())).toBe('handled');
      expect(sent).toEqual([]);
    });

    it('counts the failure as an attempt when the classifier throws', async () => {
      const { dispatch, lines } = setup(
        [
          on(RegistrationEvents.AddressChangeRevoked, async () => {
            throw mongoNetworkError();
          }),
        ],
        {
          attempts: 2,
          isTransient: () => {
            throw new TypeError('classifier bug');
          },
          clock: steppingClock(1),
        },
      );
      expect(await dispatch(record())).toBe('dead-lettered');
      expect(lines).toContainEqual(expect.objectContaining({ level: 'error', error: 'TypeError: classifier bug' }));
    });

    it('counts transient retries as outcome "retry" with transient="true"', async () => {
      class TestReader extends MetricReader {
        protected override async onShutdown(): Promise<void> {}
        protected override async onForceFlush(): Promise<void> {}
      }
      const reader = new TestReader();
      metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
      try {
        const { dispatch } = setup(
          [
            on(RegistrationEvents.AddressChangeRevoked, async (_p, meta) => {
              if (meta.attempt <= 4) throw meta.attempt === 1 ? new Error('bug') : mongoNetworkError();
            }),
          ],
          { attempts: 3, clock: steppingClock(1) },
        );
        expect(await dispatch(record())).toBe('handled');
        const { resourceMetrics } = await reader.collect();
        const consumed = resourceMetrics.scopeMetrics
          .flatMap((scope) => scope.metrics)
          .find((metric) => metric.descriptor.name === 'buergerservice_events_consumed_total');
        const points = (consumed?.dataPoints ?? []).map((p) => [p.attributes.outcome, p.attributes.transient, p.value]);
        expect(points).toEqual(
          expect.arrayContaining([
            ['retry', 'false', 1],
            ['retry', 'true', 3],
            ['success', undefined, 1],
          ]),
        );
        expect(points).toHaveLength(3);
      } finally {
        metrics.disable();
      }
    });
  });
});
