import { Appointment } from '../domain/appointment.js';
import { leipzigCatalogue } from '../seed-data.js';
import { bookAppointment } from './book-appointment.js';
import { releaseStaleReservations } from './release-stale-reservations.js';
import { memoryWorld } from './testing/memory.js';

const NOW = new Date('2026-11-23T07:00:00Z');
const slot = {
  locationId: 'koffer-plagwitz',
  groupId: 'buergerbuero',
  date: '2026-11-25',
  startMinute: 600,
  slotKeys: ['t1000'],
  start: new Date('2026-11-25T09:00:00Z'),
  end: new Date('2026-11-25T09:15:00Z'),
};
const daySlots = [{ key: 't1000', minute: 600, counters: 1 }];

describe('the sweeper', () => {
  it('gives up a reservation a crash left with its seat taken, freeing the seat', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    const stuck = Appointment.reserve(
      {
        id: 'stuck',
        bookingCode: 'AAA-AAA',
        personId: 'P1',
        subjectId: 'P1',
        serviceId: 'meldebescheinigung',
        moveId: '',
        interpreterLanguage: '',
        invitationCode: '',
        slot,
        origin: { correlationId: 'c', causationId: 'c' },
        request: null,
      },
      NOW,
    );
    await world.appointments.insert(stuck.snapshot, []);
    await world.capacity.hold(daySlots, stuck.hold); // ... and then the process died

    expect(await releaseStaleReservations(world.deps)).toEqual({ repaired: 0 }); // not stale yet
    world.clock.advance(60_001);
    expect(await releaseStaleReservations(world.deps)).toEqual({ repaired: 1 });
    expect((await world.appointments.get('stuck'))?.data).toMatchObject({
      state: 'failed',
      failure: 'stale',
      releases: [],
    });
    expect(world.capacity.seats.size).toBe(0);
    expect(await releaseStaleReservations(world.deps)).toEqual({ repaired: 0 });
  });

  it('rolls back a reschedule that never completed, keeping the appointment where it was', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    const booked = await bookAppointment(world.deps, {
      clientId: 'portal-gateway',
      idempotencyKey: 'k',
      personId: 'P1',
      serviceId: 'meldebescheinigung',
      locationId: 'bb-zentrum',
      start: new Date('2026-11-24T08:00:00Z'),
      interpreterLanguage: '',
      invitationCode: '',
      moveId: '',
      origin: {},
    });
    const stored = await world.appointments.get(booked.id);
    if (!stored) throw new Error('not stored');
    const appointment = Appointment.from(stored.data);
    appointment.beginReschedule(slot, NOW);
    await world.appointments.update(appointment.snapshot, stored.version, []);
    await world.capacity.hold(daySlots, appointment.pendingHold ?? appointment.hold); // ... crash before completing

    world.clock.advance(60_001);
    await releaseStaleReservations(world.deps);
    const after = (await world.appointments.get(booked.id))?.data;
    expect(after).toMatchObject({ state: 'booked', pending: null, releases: [], slot: { locationId: 'bb-zentrum' } });
    expect(world.capacity.holds()).toEqual(new Map([[`${booked.id}~1`, ['t0900']]]));
  });
});
