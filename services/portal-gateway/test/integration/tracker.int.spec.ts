import { randomUUID } from 'node:crypto';
import {
  AppointmentEvents,
  appointment,
  DocumentEvents,
  document,
  type EventType,
  RegistrationEvents,
  registration,
  VehicleEvents,
  vehicle,
} from '@buergerservice/contracts';
import { encodeEvent, type EncodedEvent, type EventBus } from '@buergerservice/event-bus';
import { waitUntil } from '@buergerservice/testing';
import { foldEvents } from '../../src/domain/tracker/facts.js';
import { deriveView } from '../../src/domain/tracker/view.js';
import * as translate from '../../src/events/translate.js';
import { TRACKED_TOPICS } from '../../src/events/subscriptions.js';
import { prepareTrackerRebuild } from '../../src/store/rebuild.js';
import type { TrackerEvent } from '../../src/domain/tracker/events.js';
import { type RunningGateway, StandInAuthorities, startGateway, testBus } from './support.js';

/**
 * The request tracker against real Kafka and FerretDB: events of one bundle
 * published to the four topics, out of order and duplicated, end in the same
 * read model as folding them in order; a rebuild from the topics reproduces it.
 */

interface Planned {
  event: EncodedEvent;
  tracker: TrackerEvent;
}

function plan<T>(
  type: EventType<T>,
  payload: T,
  correlationId: string,
  subject: string,
  toTracker: (payload: T, meta: { id: string; time: Date }) => TrackerEvent | undefined,
  minute: number,
): Planned {
  const time = new Date(Date.UTC(2026, 4, 2, 10, minute));
  const event = encodeEvent(type, payload, { correlationId, subject, causationId: 'test', time });
  const tracker = toTracker(payload, { id: event.id, time });
  if (!tracker) throw new Error('not a tracked event');
  return { event, tracker };
}

function householdEvents(correlationId: string, moveId: string): Planned[] {
  const anna = 'P0000001';
  const plate = 'L-AM 2026';
  const doc = (kind: document.DocumentKind, personId: string, minute: number, withPlate = '') =>
    plan(
      DocumentEvents.DocumentIssued,
      document.DocumentIssued.fromPartial({
        documentId: randomUUID(),
        kind,
        personId,
        moveId,
        plate: withPlate,
        documentNumber: `N-${minute}`,
        status:
          kind === document.DocumentKind.DOCUMENT_KIND_ID_CARD_ADDRESS_STICKER_ORDER
            ? document.DocumentStatus.DOCUMENT_STATUS_PENDING
            : document.DocumentStatus.DOCUMENT_STATUS_VALID,
      }),
      correlationId,
      personId,
      translate.fromDocumentIssued,
      minute,
    );
  return [
    plan(
      RegistrationEvents.AddressChanged,
      registration.AddressChanged.fromPartial({
        moveId,
        kind: registration.MoveKind.MOVE_KIND_WITHIN_CITY,
        personId: anna,
        persons: [
          { personId: anna, name: { givenNames: 'Anna', familyName: 'Müller', doctoralDegree: '' } },
          { personId: 'P0000002', name: { givenNames: 'Jonas', familyName: 'Müller', doctoralDegree: '' } },
        ],
        moveInDate: '2026-05-01',
        followUps: {
          vehiclePlates: [plate],
          documents: [
            registration.RequestedDocument.REQUESTED_DOCUMENT_REGISTRATION_CONFIRMATION,
            registration.RequestedDocument.REQUESTED_DOCUMENT_VEHICLE_REGISTRATION_RECORD,
          ],
          appointment: { wanted: true, autoBook: true, locationId: '', earliestDate: '', interpreterLanguage: '' },
        },
      }),
      correlationId,
      anna,
      translate.fromAddressChanged,
      0,
    ),
    plan(
      VehicleEvents.VehicleHolderAddressUpdated,
      vehicle.VehicleHolderAddressUpdated.fromPartial({ moveId, plate, holderPersonId: anna }),
      correlationId,
      anna,
      translate.fromVehicleUpdated,
      1,
    ),
    doc(document.DocumentKind.DOCUMENT_KIND_REGISTRATION_CONFIRMATION, anna, 2),
    doc(document.DocumentKind.DOCUMENT_KIND_REGISTRATION_CONFIRMATION, 'P0000002', 3),
    doc(document.DocumentKind.DOCUMENT_KIND_VEHICLE_REGISTRATION_RECORD, anna, 4, plate),
    doc(document.DocumentKind.DOCUMENT_KIND_ID_CARD_ADDRESS_STICKER_ORDER, anna, 5),
    plan(
      AppointmentEvents.AppointmentBooked,
      appointment.AppointmentBooked.fromPartial({
        appointmentId: randomUUID(),
        personId: anna,
        serviceId: 'id-card-sticker',
        locationId: 'bb-gohlis',
        start: new Date('2026-06-01T08:00:00Z'),
        end: new Date('2026-06-01T08:15:00Z'),
        moveId,
      }),
      correlationId,
      anna,
      translate.fromAppointmentBooked,
      6,
    ),
  ];
}

/** A fixed shuffle with duplicates: vehicle and documents before the AddressChanged that names the owner. */
function scrambled(events: Planned[]): EncodedEvent[] {
  const order = [4, 1, 6, 2, 1, 5, 0, 3, 4, 0, 6];
  return order.map((i) => (events[i] as Planned).event);
}

describe('request tracker on real Kafka and FerretDB', () => {
  let bus: EventBus;
  let authorities: StandInAuthorities;
  let gateway: RunningGateway;

  beforeAll(async () => {
    bus = testBus('tracker-test');
    await bus.ensureTopics([...TRACKED_TOPICS]);
    authorities = await new StandInAuthorities(bus).start();
    gateway = await startGateway(authorities);
  });

  afterAll(async () => {
    await gateway?.stop();
    await authorities?.stop();
    await bus?.disconnect();
  });

  it('builds the same bundle from reordered and duplicated events as from the events in order', async () => {
    const correlationId = randomUUID();
    const moveId = randomUUID();
    const events = householdEvents(correlationId, moveId);
    // One publish per event: each topic's order is the order of this list.
    for (const event of scrambled(events)) await bus.publishAll([event]);

    const expected = deriveView(foldEvents(events.map((e) => e.tracker)));
    expect(expected.complete).toBe(true);
    const bundle = await waitUntil(
      async () => {
        const found = await gateway.service.bundles.get(correlationId);
        return found?.view.complete ? found : undefined;
      },
      { timeoutMs: 60_000, message: 'bundle complete' },
    );
    expect(bundle.view).toEqual(expected);
    expect(bundle.ownerPersonId).toBe('P0000001');
    const listed = await gateway.service.bundles.listByOwner('P0000001', 100);
    expect(listed.map((b) => b.bundleId)).toContain(correlationId);
    expect(bundle.eventCount).toBe(events.length);
    expect(bundle.view.steps.map((s) => s.state)).toEqual(Array(bundle.view.steps.length).fill('done'));
  });

  it('ignores events of no bundle and events without a move', async () => {
    const correlationId = randomUUID();
    await bus.publishAll([
      encodeEvent(
        VehicleEvents.VehicleRegistered,
        vehicle.VehicleRegistered.fromPartial({
          plate: 'L-XY 1',
          holderPersonId: 'P0000004',
          registrationDistrict: 'L',
        }),
        { correlationId, subject: 'P0000004', causationId: 'test' },
      ),
      encodeEvent(
        AppointmentEvents.AppointmentBooked,
        appointment.AppointmentBooked.fromPartial({ appointmentId: randomUUID(), personId: 'P0000004', moveId: '' }),
        { correlationId, subject: 'P0000004', causationId: 'test' },
      ),
    ]);
    // A marker after them on the same partition (same key): once it is tracked, the two before were handled.
    const marker = randomUUID();
    await bus.publishAll([
      encodeEvent(
        AppointmentEvents.AppointmentCancelled,
        appointment.AppointmentCancelled.fromPartial({
          appointmentId: randomUUID(),
          personId: 'P0000004',
          moveId: marker,
          reason: 'citizen',
        }),
        { correlationId: marker, subject: 'P0000004', causationId: 'test' },
      ),
    ]);
    await waitUntil(() => gateway.service.bundles.get(marker), { timeoutMs: 60_000, message: 'marker tracked' });
    expect(await gateway.service.bundles.get(correlationId)).toBeUndefined();
    // The marker's bundle has no owner (no AddressChanged), so nobody sees it.
    expect((await gateway.service.bundles.get(marker))?.ownerPersonId).toBeUndefined();
  });

  it('is rebuilt from the topics after emptying the read model and resetting the group', async () => {
    const correlationId = randomUUID();
    const events = householdEvents(correlationId, randomUUID());
    // The shared broker holds other tests' events: rebuild from just before these (a bounded rebuild).
    const since = new Date(Date.now() - 1_000);
    for (const event of scrambled(events)) await bus.publishAll([event]);
    const before = await waitUntil(
      async () => {
        const found = await gateway.service.bundles.get(correlationId);
        return found?.view.complete ? found : undefined;
      },
      { timeoutMs: 60_000, message: 'bundle complete before the rebuild' },
    );

    const { config } = gateway;
    const database = new URL(config.MONGO_URL).pathname.slice(1);
    await gateway.stop();
    const reopened = await (await import('mongoose')).default.createConnection(config.MONGO_URL).asPromise();
    const result = await bus.withAdmin((admin) =>
      prepareTrackerRebuild(reopened, admin, { groupId: config.KAFKA_CONSUMER_GROUP, topics: TRACKED_TOPICS, since }),
    );
    await reopened.close();
    expect(result.eventsRemoved).toBeGreaterThanOrEqual(events.length);

    gateway = await startGateway(authorities, { KAFKA_CONSUMER_GROUP: config.KAFKA_CONSUMER_GROUP }, { database });
    expect(await gateway.service.bundles.get(correlationId).then((b) => b?.view.complete ?? false)).toBe(false);
    const after = await waitUntil(
      async () => {
        const found = await gateway.service.bundles.get(correlationId);
        return found?.view.complete ? found : undefined;
      },
      { timeoutMs: 180_000, message: 'bundle rebuilt' },
    ).catch(async (error: unknown) => {
      process.stderr.write(`DEBUG ${JSON.stringify(await gateway.service.bundles.get(correlationId))}\n`);
      for (const line of gateway.logs) process.stderr.write(`LOG ${JSON.stringify(line)}\n`);
      throw error;
    });
    expect(after.view).toEqual(before.view);
    expect(after.ownerPersonId).toBe(before.ownerPersonId);
    expect(after.eventCount).toBe(before.eventCount);
  });

  it('two replicas sharing the group and the database record every event of many bundles once', async () => {
    const database = new URL(gateway.config.MONGO_URL).pathname.slice(1);
    const second = await startGateway(
      authorities,
      { KAFKA_CONSUMER_GROUP: gateway.config.KAFKA_CONSUMER_GROUP },
      { database },
    );
    try {
      const bundles = Array.from({ length: 6 }, () => ({ correlationId: randomUUID(), moveId: randomUUID() }));
      const planned = bundles.map((b) => householdEvents(b.correlationId, b.moveId));
      // All events of all bundles at once, twice: partitions of four topics spread over two consumers.
      const all = planned.flat().map((p) => p.event);
      await Promise.all([bus.publishAll(all), bus.publishAll([...all].reverse())]);
      for (const [i, b] of bundles.entries()) {
        const events = planned[i] as Planned[];
        const expected = deriveView(foldEvents(events.map((e) => e.tracker)));
        const found = await waitUntil(
          async () => {
            const bundle = await gateway.service.bundles.get(b.correlationId);
            return bundle?.view.complete ? bundle : undefined;
          },
          { timeoutMs: 120_000, message: `bundle ${i} complete` },
        );
        expect(found.view).toEqual(expected);
        expect(found.eventCount).toBe(events.length);
      }
    } finally {
      await second.stop();
    }
  });

  it('refuses to reset the offsets while a gateway consumes', async () => {
    const reopened = gateway.connection;
    await expect(
      bus.withAdmin((admin) =>
        prepareTrackerRebuild(reopened, admin, {
          groupId: gateway.config.KAFKA_CONSUMER_GROUP,
          topics: TRACKED_TOPICS,
        }),
      ),
    ).rejects.toThrow(/active member/);
  });
});
