import { AppointmentEvents, appointment, RegistrationEvents, registration } from '@buergerservice/contracts';
import type { EventBus } from '@buergerservice/event-bus';
import { TopicRecorder, waitUntil } from '@buergerservice/testing';
import { appointmentModels, stringIdCollection } from '../../src/store/schemas.js';
import { call, publish, registrationBus, startTestService, type TestService } from './support.js';

/**
 * The reaction to registration's events on real Kafka and the real
 * database: AddressChanged -> AppointmentBooked / AppointmentOffered exactly
 * once under redelivery; AddressChangeRevoked -> AppointmentCancelled with
 * the capacity freed; malformed events to the dead-letter topic.
 */
describe('moves from registration', () => {
  let svc: TestService;
  let bus: EventBus;
  let recorder: TopicRecorder;
  let dlq: TopicRecorder;

  beforeAll(async () => {
    svc = await startTestService('appt-moves');
    bus = registrationBus('appt-moves-registration');
    recorder = await TopicRecorder.start(svc.config.APPOINTMENT_EVENTS_TOPIC);
    dlq = await TopicRecorder.start(`${svc.config.CONSUMER_GROUP}.dlq`);
  });

  afterAll(async () => {
    await recorder?.stop();
    await dlq?.stop();
    await bus?.disconnect();
    await svc?.stop();
  });

  function addressChanged(
    moveId: string,
    applicantId: string,
    preference: Partial<registration.AppointmentPreference>,
    district = 'Plagwitz',
  ): registration.AddressChanged {
    return registration.AddressChanged.fromPartial({
      moveId,
      kind: registration.MoveKind.MOVE_KIND_WITHIN_CITY,
      personId: applicantId,
      persons: [
        { personId: applicantId, name: { familyName: 'Müller', givenNames: 'Anna' } },
        { personId: `${applicantId}-2`, name: { familyName: 'Müller', givenNames: 'Jonas' } },
      ],
      newAddress: {
        street: 'Karl-Heine-Straße',
        houseNumber: '12',
        postalCode: '04229',
        municipality: 'Leipzig',
        district,
      },
      moveInDate: '2026-11-20',
      residenceType: registration.ResidenceType.RESIDENCE_TYPE_MAIN,
      followUps: { appointment: { wanted: true, ...preference } },
    });
  }

  const ofMove = (moveId: string, type: string) =>
    recorder.messages
      .filter((m) => m.headers.ce_type === type)
      .filter((m) => {
        const codec = type.endsWith('AppointmentOffered')
          ? AppointmentEvents.AppointmentOffered.codec
          : type.endsWith('AppointmentCancelled')
            ? AppointmentEvents.AppointmentCancelled.codec
            : AppointmentEvents.AppointmentBooked.codec;
        return (codec.decode(m.value ?? new Uint8Array()) as { moveId: string }).moveId === moveId;
      });

  async function seatsOf(appointmentId: string) {
    const seats = stringIdCollection(appointmentModels(svc.connection).seats);
    return seats.find({ hold: { $regex: `^${appointmentId}~` } }).toArray();
  }

  it('books the earliest slot at the preferred location once, however often AddressChanged arrives, and cancels it on revocation', async () => {
    const topic = svc.config.REGISTRATION_EVENTS_TOPIC;
    const event = addressChanged('move-auto-1', 'P0000001', { locationId: 'koffer-plagwitz', autoBook: true });
    const meta = { id: 'evt-changed-1', subject: 'P0000001', correlationId: 'bundle-auto-1' };
    await publish(bus, topic, RegistrationEvents.AddressChanged, event, meta);
    // Redelivery: the same record again (as after a consumer crash before the commit) and a relay re-publication.
    await publish(bus, topic, RegistrationEvents.AddressChanged, event, meta);
    await publish(bus, topic, RegistrationEvents.AddressChanged, event, meta);

    const [booked] = await recorder.waitFor((m) => m.headers.ce_type === AppointmentEvents.AppointmentBooked.typeName);
    if (!booked?.value) throw new Error('no AppointmentBooked');
    const payload = AppointmentEvents.AppointmentBooked.codec.decode(booked.value);
    expect(payload).toMatchObject({
      personId: 'P0000001',
      serviceId: 'personalausweis-adressaenderung',
      locationId: 'koffer-plagwitz',
      start: new Date('2026-11-25T09:00:00Z'), // Wednesday 10:00, the Bürgerkoffer's next visit in Plagwitz
      end: new Date('2026-11-25T09:15:00Z'),
      moveId: 'move-auto-1',
    });
    expect(booked.key).toBe('P0000001');
    expect(booked.headers).toMatchObject({
      ce_subject: 'P0000001',
      ce_correlationid: 'bundle-auto-1',
      ce_causationid: 'evt-changed-1',
      ce_source: '/buergerservice/appointment',
    });
    // Give the redeliveries time to be handled, then count.
    const moves = stringIdCollection(appointmentModels(svc.connection).moves);
    await waitUntil(async () => (await svc.service.app.moves.get('move-auto-1'))?.data.status === 'booked');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(ofMove('move-auto-1', AppointmentEvents.AppointmentBooked.typeName)).toHaveLength(1);
    expect(await seatsOf(payload.appointmentId)).toHaveLength(1);
    expect(await moves.countDocuments({ aggregateId: 'move-auto-1' })).toBeGreaterThan(0);

    const { appointment: stored } = await call(svc.client(), 'getAppointment', {
      appointmentId: payload.appointmentId,
    });
    expect(stored?.status).toBe(appointment.AppointmentStatus.APPOINTMENT_STATUS_BOOKED);

    const revoked = registration.AddressChangeRevoked.fromPartial({
      moveId: 'move-auto-1',
      personId: 'P0000001',
      personIds: ['P0000001', 'P0000001-2'],
    });
    const revokeMeta = { id: 'evt-revoked-1', subject: 'P0000001', correlationId: 'bundle-auto-1' };
    await publish(bus, topic, RegistrationEvents.AddressChangeRevoked, revoked, revokeMeta);
    await publish(bus, topic, RegistrationEvents.AddressChangeRevoked, revoked, revokeMeta);
    const [cancelled] = await recorder.waitFor(
      (m) => m.headers.ce_type === AppointmentEvents.AppointmentCancelled.typeName,
    );
    expect(AppointmentEvents.AppointmentCancelled.codec.decode(cancelled?.value ?? new Uint8Array())).toEqual({
      appointmentId: payload.appointmentId,
      personId: 'P0000001',
      moveId: 'move-auto-1',
      reason: 'move-revoked',
    });
    expect(cancelled?.headers).toMatchObject({ ce_correlationid: 'bundle-auto-1', ce_causationid: 'evt-revoked-1' });
    expect(cancelled?.key).toBe('P0000001');

    // The capacity is free again: the seat is gone and the slot is offered with its one counter.
    expect(await seatsOf(payload.appointmentId)).toHaveLength(0);
    const { slots } = await call(svc.client(), 'listFreeSlots', {
      serviceId: 'personalausweis-adressaenderung',
      locationId: 'koffer-plagwitz',
      district: '',
      fromDate: '2026-11-25',
      toDate: '2026-11-25',
      limit: 1,
    });
    expect(slots[0]).toMatchObject({ start: new Date('2026-11-25T09:00:00Z'), freeCapacity: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(ofMove('move-auto-1', AppointmentEvents.AppointmentCancelled.typeName)).toHaveLength(1);
  });

  it('offers three slots near the new address, and books the one the citizen picks in the portal', async () => {
    const topic = svc.config.REGISTRATION_EVENTS_TOPIC;
    await publish(
      bus,
      topic,
      RegistrationEvents.AddressChanged,
      addressChanged('move-offer-1', 'P0000004', { autoBook: false }, 'Grünau-Mitte'),
      { id: 'evt-changed-2', subject: 'P0000004', correlationId: 'bundle-offer-1' },
    );
    const [offered] = await recorder.waitFor(
      (m) => m.headers.ce_type === AppointmentEvents.AppointmentOffered.typeName,
    );
    const offer = AppointmentEvents.AppointmentOffered.codec.decode(offered?.value ?? new Uint8Array());
    expect(offer).toMatchObject({
      moveId: 'move-offer-1',
      personId: 'P0000004',
      serviceId: 'personalausweis-adressaenderung',
    });
    expect(offer.slots).toHaveLength(3);
    expect(offer.slots[0]).toMatchObject({ locationId: 'bb-gruenau', start: new Date('2026-11-24T08:00:00Z') });
    expect(offered?.headers).toMatchObject({ ce_correlationid: 'bundle-offer-1', ce_causationid: 'evt-changed-2' });

    const pick = offer.slots[1];
    const { appointment: booked } = await call(svc.client(), 'bookAppointment', {
      idempotencyKey: 'pick-offer-1',
      personId: 'P0000004',
      serviceId: 'personalausweis-adressaenderung',
      locationId: pick?.locationId ?? '',
      start: pick?.start,
      interpreterLanguage: '',
      invitationCode: '',
      moveId: 'move-offer-1',
    });
    expect(booked?.moveId).toBe('move-offer-1');
    const [message] = await recorder.waitFor((m) =>
      ofMove('move-offer-1', AppointmentEvents.AppointmentBooked.typeName).includes(m),
    );
    // The pick belongs to the bundle of the move.
    expect(message?.headers).toMatchObject({ ce_correlationid: 'bundle-offer-1', ce_subject: 'P0000004' });
  });

  it('sends malformed events to the dead-letter topic and goes on', async () => {
    const topic = svc.config.REGISTRATION_EVENTS_TOPIC;
    // Bytes that are no AddressChanged.
    await bus.sendRecords(topic, [
      {
        key: 'P0000009',
        value: Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]),
        headers: {
          ce_specversion: '1.0',
          ce_id: 'evt-garbage',
          ce_type: RegistrationEvents.AddressChanged.typeName,
          ce_source: '/buergerservice/registration',
          ce_time: new Date().toISOString(),
          ce_subject: 'P0000009',
          ce_correlationid: 'bundle-garbage',
          ce_causationid: 'evt-garbage',
          'content-type': 'application/protobuf',
        },
      },
    ]);
    // A well-formed AddressChanged without a move id: nothing to act on.
    await publish(bus, topic, RegistrationEvents.AddressChanged, addressChanged('', 'P0000009', { autoBook: true }), {
      id: 'evt-no-move',
      subject: 'P0000009',
      correlationId: 'bundle-no-move',
    });
    const dead = await dlq.waitFor(() => true, { count: 2 });
    expect(dead.map((d) => [d.headers.ce_id, d.headers.dlq_reason])).toEqual([
      ['evt-garbage', 'malformed'],
      ['evt-no-move', 'malformed'],
    ]);
    expect(dead[1]?.headers.dlq_error).toContain('move_id is empty');

    // The consumer goes on with the next event.
    await publish(
      bus,
      topic,
      RegistrationEvents.AddressChanged,
      addressChanged('move-after-garbage', 'P0000009', { autoBook: true }, 'Zentrum'),
      { id: 'evt-after-garbage', subject: 'P0000009', correlationId: 'bundle-after' },
    );
    await recorder.waitFor((m) =>
      ofMove('move-after-garbage', AppointmentEvents.AppointmentBooked.typeName).includes(m),
    );
  });
});
