import { randomUUID } from 'node:crypto';
import { berlinDate } from '@buergerservice/calendar';
import { appointment, document, registration, Topics, vehicle } from '@buergerservice/contracts';
import { demoPopulation, seededRandom } from '@buergerservice/demo-data';
import { type RecordedMessage, testKafka, waitUntil } from '@buergerservice/testing';
import { checkDrill } from '../../src/checker.js';
import { runLoad } from '../../src/load.js';
import { DEAD_LETTER_TOPICS, EVENT_TOPICS, toObservedEvent } from '../../src/observe.js';
import { bundleFor, drillHouseholds } from '../../src/population.js';
import { readTopics } from '../../src/topics.js';
import { alive, type RunningPlatform, startPlatform } from './harness.js';

/**
 * Poison on every consumed topic, produced while all five services run as
 * real processes: each consumer group must dead-letter it with a reason and
 * keep going, and a real bundle submitted afterwards must still complete.
 */

/** Which consumer groups read which topic (from the services' subscriptions.ts). */
const CONSUMERS: Record<string, readonly string[]> = {
  [Topics.registration]: ['vehicle', 'document', 'appointment', 'portal-gateway'],
  [Topics.vehicle]: ['document', 'portal-gateway'],
  [Topics.appointment]: ['document', 'portal-gateway'],
  [Topics.document]: ['portal-gateway'],
};

/** A type each topic's consumers handle, so the record reaches decoding. */
const HANDLED_TYPE: Record<string, string> = {
  [Topics.registration]: `${registration.protobufPackage}.AddressChanged`,
  [Topics.vehicle]: `${vehicle.protobufPackage}.VehicleHolderAddressUpdated`,
  [Topics.appointment]: `${appointment.protobufPackage}.AppointmentBooked`,
  [Topics.document]: `${document.protobufPackage}.DocumentIssued`,
};

const KEY = 'P9999990';

function headers(type: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const all: Record<string, string | undefined> = {
    ce_specversion: '1.0',
    ce_id: randomUUID(),
    ce_type: type,
    ce_source: '/drills/poison',
    ce_time: new Date().toISOString(),
    ce_subject: KEY,
    ce_correlationid: `poison-${randomUUID()}`,
    ce_causationid: randomUUID(),
    'content-type': 'application/protobuf',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
}

/** A valid AddressChanged whose last field (a string) is cut: decoding must run past the end. */
function truncated(): Buffer {
  const full = registration.AddressChanged.encode(
    registration.AddressChanged.fromPartial({
      moveId: 'M-poison',
      personId: KEY,
      newAddress: { street: 'Poisonweg', houseNumber: '1', postalCode: '04109', municipality: 'Leipzig' },
      moveInDate: '2026-11-21',
    }),
  ).finish();
  return Buffer.from(full.subarray(0, full.length - 3));
}

interface Poison {
  readonly name: string;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
}

function poisons(topic: string): Poison[] {
  const type = HANDLED_TYPE[topic] ?? '';
  // Field 1, length-delimited, claiming far more bytes than follow.
  const garbage = Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02]);
  const oversized = Buffer.alloc(900_000, 0x41);
  oversized.set([0x0a, 0x80, 0x89, 0x7a], 0); // field 1 claims 2,000,000 bytes of a 900,000-byte record
  return [
    { name: 'malformed', value: garbage, headers: headers(type) },
    { name: 'truncated', value: truncated(), headers: headers(type) },
    { name: 'oversized', value: oversized, headers: headers(type) },
    {
      name: 'wrong-type (JSON where protobuf is declared by the type)',
      value: Buffer.from(JSON.stringify({ moveId: 'M-poison', personId: KEY })),
      headers: headers(type, { 'content-type': 'application/json' }),
    },
    { name: 'missing ce_id', value: truncated(), headers: headers(type, { ce_id: undefined }) },
  ];
}

describe('bad Kafka input on every consumed topic', () => {
  let running: RunningPlatform;
  const produced: { topic: string; offset: string; name: string }[] = [];

  beforeAll(async () => {
    running = await startPlatform({ persons: 40, vehicles: 20 });
    const producer = testKafka('drills-poison').producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      for (const topic of EVENT_TOPICS) {
        for (const poison of poisons(topic)) {
          const [meta] = await producer.send({
            topic,
            messages: [{ key: KEY, value: poison.value, headers: poison.headers }],
          });
          produced.push({ topic, offset: meta?.baseOffset ?? '-1', name: poison.name });
        }
      }
    } finally {
      await producer.disconnect();
    }
  }, 300_000);

  afterAll(async () => {
    await running?.stop();
  }, 60_000);

  it('dead-letters every poison record in every consuming group, with a reason and the error', async () => {
    const expected = produced.flatMap((p) => (CONSUMERS[p.topic] ?? []).map((group) => ({ ...p, group })));
    let letters: RecordedMessage[] = [];
    const missing = () =>
      expected.filter(
        (e) =>
          !letters.some(
            (l) =>
              l.topic === `${e.group}.dlq` &&
              l.headers.dlq_original_topic === e.topic &&
              l.headers.dlq_original_offset === e.offset,
          ),
      );
    await waitUntil(
      async () => {
        letters = await readTopics(DEAD_LETTER_TOPICS);
        return missing().length === 0;
      },
      { timeoutMs: 90_000, intervalMs: 3_000, message: 'every poison record in every dead-letter topic' },
    ).catch(() => undefined);
    expect(missing().map((m) => `${m.group} did not dead-letter ${m.name} on ${m.topic}@${m.offset}`)).toEqual([]);
    for (const e of expected) {
      const letter = letters.find(
        (l) =>
          l.topic === `${e.group}.dlq` &&
          l.headers.dlq_original_offset === e.offset &&
          l.headers.dlq_original_topic === e.topic,
      );
      expect(letter?.headers.dlq_reason).toBe('malformed');
      expect(letter?.headers.dlq_error?.length ?? 0).toBeGreaterThan(0);
      expect(letter?.headers.dlq_consumer_group).toBe(e.group);
    }
  }, 180_000);

  it('keeps every consumer running and processes a real bundle submitted after the poison', async () => {
    for (const [name, process] of running.platform.processes) {
      expect(`${name}: ${alive(process.pid) ? 'alive' : 'dead'}`).toBe(`${name}: alive`);
    }
    const household = drillHouseholds(demoPopulation({ persons: 40, vehicles: 20 })).find((h) => h.plates.length > 0);
    if (!household) throw new Error('the seeded population has no household with a vehicle');
    const spec = bundleFor(household, seededRandom(7), berlinDate(new Date()), 1);
    const outcome = await runLoad({
      gatewayUrl: running.platform.gatewayUrl,
      token: (personId) => running.issuer.token(personId),
      specs: [spec],
      concurrency: 1,
      faultAfter: 0,
      fault: async () => undefined,
      settleMs: 90_000,
      stallMs: 60_000,
      submitRetryMs: 30_000,
      log: () => undefined,
    });
    expect(outcome.refused).toEqual([]);
    const events = (await readTopics(EVENT_TOPICS)).flatMap((m) => {
      const e = toObservedEvent(m);
      return e ? [e] : [];
    });
    const verdict = checkDrill(outcome.bundles, events, []);
    expect(verdict.findings).toEqual([]);
    expect(verdict).toMatchObject({ bundles: 1, completed: 1, lost: 0, duplicatedEffects: 0 });
  }, 240_000);
});
