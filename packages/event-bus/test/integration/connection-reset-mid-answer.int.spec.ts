import { type StartedKafka, startKafka, uniqueName, waitUntil } from '@buergerservice/testing';
import { type EncodedEvent, EventBus, type EventConsumer, encodeEvent, on } from '../../src/index.js';
import { AnswerProxy } from './answer-proxy.js';
import { AddressChanged, addressChanged, memoryLogger } from './support.js';

// A connection reset in the middle of a broker's answer (a flaky network, a
// load balancer restarting) must not leave the consumer deaf. kafkajs keeps
// the half-received answer in its connection object and, after reconnecting
// the same object, reads the new socket's bytes as the rest of it: every
// later answer on that connection is misread, its requests time out, and the
// group stops consuming although the network is fine again (seen in the
// drills' kafka-proxy drill: the gateway's tracker stopped for minutes).

describe('a consumer whose connection is reset in the middle of a broker answer', () => {
  let kafka: StartedKafka;
  let proxy: AnswerProxy;
  let bus: EventBus | undefined;
  let direct: EventBus | undefined;
  let consumer: EventConsumer | undefined;
  const { logger } = memoryLogger('fatal');

  beforeAll(async () => {
    // A broker of its own: the proxy must own the port the broker advertises.
    kafka = await startKafka({ kafkaProxy: {} });
    const listener = kafka.proxied;
    if (!listener) throw new Error('no proxied listener');
    proxy = await AnswerProxy.start(listener.advertisedPort, listener.listenPort);
  }, 180_000);

  afterAll(async () => {
    await consumer?.stop().catch(() => undefined);
    await bus?.disconnect().catch(() => undefined);
    await direct?.disconnect().catch(() => undefined);
    await proxy?.stop();
    await kafka?.stop();
  });

  it('consumes what is published after the reset', async () => {
    const source = '/buergerservice/registration';
    bus = new EventBus({ brokers: kafka.proxied?.brokers ?? [], clientId: 'mid-answer', source, logger });
    // The publisher goes around the proxy: only the consumer's connections are spoiled.
    direct = new EventBus({ brokers: kafka.brokers, clientId: 'mid-answer-publisher', source, logger });
    const topic = uniqueName('mid-answer');
    await direct.ensureTopics([topic], { partitions: 1 });
    const seen = new Set<string>();
    consumer = bus.consumer({
      groupId: uniqueName('mid-answer'),
      topics: [topic],
      handlers: [
        on(AddressChanged, async (event) => {
          seen.add(event.moveId);
        }),
      ],
    });
    await consumer.start();
    const person = uniqueName('person');
    const batch = (name: string, count: number): EncodedEvent[] =>
      Array.from({ length: count }, (_, i) =>
        encodeEvent(AddressChanged, addressChanged(person, `${name}-${i}`), {
          subject: person,
          correlationId: 'bundle-1',
          causationId: 'request-1',
          topic,
        }),
      );
    const consumed = (events: readonly EncodedEvent[]) => async () => {
      for (const e of events) if (!seen.has(AddressChanged.codec.decode(e.payload).moveId)) return false;
      return true;
    };

    const before = batch('before', 5);
    await direct.publishAll(before);
    await waitUntil(consumed(before), { timeoutMs: 30_000, message: 'the events before the reset' });

    // The next answer carrying records (a fetch) is cut in half, then the connection reset.
    proxy.cutAtLeast = 200;
    proxy.cut = 1;
    const cutOff = batch('cut-off', 20);
    await direct.publishAll(cutOff);
    await waitUntil(() => proxy.cuts === 1, { timeoutMs: 15_000, message: 'an answer to be cut' });
    const after = batch('after', 5);
    await direct.publishAll(after);

    // Reconnecting and fetching again takes seconds; a connection that misreads answers times out (30 s) instead.
    await waitUntil(consumed([...cutOff, ...after]), {
      timeoutMs: 25_000,
      message: 'the events published around the reset',
    });
  });
});
