import { leipzigCatalogue } from '../seed-data.js';
import { type BookAppointmentCommand, bookAppointment } from './book-appointment.js';
import { cancelAppointment } from './cancel-appointment.js';
import { createInvitation } from './create-invitation.js';
import { rescheduleAppointment } from './reschedule-appointment.js';
import { memoryWorld } from './testing/memory.js';

// Monday, 23 November 2026, 08:00 in Leipzig.
const NOW = new Date('2026-11-23T07:00:00Z');
const TUESDAY_0900 = new Date('2026-11-24T08:00:00Z');
const TUESDAY_1000 = new Date('2026-11-24T09:00:00Z');

function command(overrides: Partial<BookAppointmentCommand> = {}): BookAppointmentCommand {
  return {
    clientId: 'portal-gateway',
    idempotencyKey: 'key-1',
    personId: 'P0000001',
    serviceId: 'personalausweis-adressaenderung',
    locationId: 'bb-zentrum',
    start: TUESDAY_0900,
    interpreterLanguage: '',
    invitationCode: '',
    moveId: '',
    origin: {},
    ...overrides,
  };
}

describe('booking an appointment', () => {
  it('books a free slot, takes one counter and announces it', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    const booked = await bookAppointment(world.deps, command({ origin: { correlationId: 'c1', causationId: 'r1' } }));
    expect(booked).toMatchObject({
      state: 'booked',
      personId: 'P0000001',
      serviceId: 'personalausweis-adressaenderung',
      slot: { locationId: 'bb-zentrum', start: TUESDAY_0900, slotKeys: ['t0900'] },
    });
    expect(booked.bookingCode).toMatch(/^[2-9A-Z]{3}-[2-9A-Z]{3}$/);
    expect(world.capacity.seatsTaken('bb-zentrum/buergerbuero/2026-11-24', 't0900')).toBe(1);
    expect(world.events()).toEqual([
      expect.objectContaining({
        event: expect.objectContaining({ type: 'AppointmentBooked', appointmentId: booked.id }),
        subject: 'P0000001',
        origin: { correlationId: 'c1', causationId: 'r1' },
      }),
    ]);
  });

  it('returns the same booking for the same idempotency key, and refuses the key for another booking', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    const first = await bookAppointment(world.deps, command());
    const again = await bookAppointment(world.deps, command());
    expect(again.id).toBe(first.id);
    expect(again.bookingCode).toBe(first.bookingCode);
    expect(world.capacity.seatsTaken('bb-zentrum/buergerbuero/2026-11-24', 't0900')).toBe(1);
    expect(world.events()).toHaveLength(1);
    await expect(bookAppointment(world.deps, command({ start: TUESDAY_1000 }))).rejects.toMatchObject({
      code: 'idempotency-key-reused',
    });
    // Another client's identical key is another booking.
    const other = await bookAppointment(world.deps, command({ clientId: 'hotline-115' }));
    expect(other.id).not.toBe(first.id);
  });

  it('refuses a full slot and books it again once a place is free', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    const koffer = { locationId: 'koffer-plagwitz', start: new Date('2026-11-25T09:00:00Z') }; // one counter
    const first = await bookAppointment(world.deps, command(koffer));
    await expect(
      bookAppointment(world.deps, command({ ...koffer, idempotencyKey: 'key-2', personId: 'P0000002' })),
    ).rejects.toMatchObject({ code: 'slot-full', field: 'start' });
    await cancelAppointment(world.deps, {
      appointmentId: first.id,
      personId: 'P0000001',
      reason: 'citizen',
      origin: {},
    });
    // The same request again (same key) is tried once more.
    const second = await bookAppointment(
      world.deps,
      command({ ...koffer, idempotencyKey: 'key-2', personId: 'P0000002' }),
    );
    expect(second.state).toBe('booked');
  });

  it('takes all consecutive slots of a longer service, or none', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    const registry = { locationId: 'standesamt-leipzig' };
    // Four 30-minute appointments fill 10:30 and 10:45 (four desks).
    for (let i = 0; i < 4; i++) {
      await bookAppointment(
        world.deps,
        command({
          ...registry,
          idempotencyKey: `birth-${i}`,
          serviceId: 'standesamt-geburt-beurkunden',
          start: new Date('2026-11-24T09:30:00Z'),
        }),
      );
    }
    const day = 'standesamt-leipzig/standesamt/2026-11-24';
    const before = structuredClone(world.capacity.holdsOn(day));
    // One hour from 10:00 needs 10:00, 10:15, 10:30 and 10:45.
    await expect(
      bookAppointment(
        world.deps,
        command({
          ...registry,
          idempotencyKey: 'marriage',
          serviceId: 'standesamt-eheschliessung-anmelden',
          start: TUESDAY_1000,
        }),
      ),
    ).rejects.toMatchObject({ code: 'slot-full' });
    expect(world.capacity.holdsOn(day)).toEqual(before);
    expect(world.capacity.seatsTaken(day, 't1000')).toBe(0);
    expect(world.capacity.seatsTaken(day, 't1045')).toBe(4);
    // From 09:00 it fits: four slots taken at once.
    const marriage = await bookAppointment(
      world.deps,
      command({
        ...registry,
        idempotencyKey: 'marriage-2',
        serviceId: 'standesamt-eheschliessung-anmelden',
        start: TUESDAY_0900,
      }),
    );
    expect(marriage.slot.slotKeys).toEqual(['t0900', 't0915', 't0930', 't0945']);
    expect(marriage.slot.end).toEqual(TUESDAY_1000);
    expect(['t0900', 't0915', 't0930', 't0945'].map((k) => world.capacity.seatsTaken(day, k))).toEqual([1, 1, 1, 1]);
  });

  it.each([
    [{ serviceId: 'nope' }, 'unknown-service', 'service_id'],
    [{ locationId: 'nope' }, 'unknown-location', 'location_id'],
    [{ locationId: 'jobcenter-leipzig' }, 'service-not-offered-at-location', 'location_id'],
    [{ start: new Date('2026-11-24T11:00:00Z') }, 'slot-not-offered', 'start'], // 12:00: lunch break
    [{ start: new Date('2026-11-24T08:05:00Z') }, 'slot-not-offered', 'start'],
    [{ start: new Date('2026-11-23T07:15:00Z') }, 'slot-outside-booking-window', 'start'], // in 15 minutes
    [{ start: new Date('2027-03-01T08:00:00Z') }, 'slot-outside-booking-window', 'start'], // beyond 90 days
    [{ start: new Date('0008-02-27T22:49:21.044Z') }, 'slot-not-offered', 'start'], // sent by schemathesis: was a RangeError
    [{ start: new Date('9999-12-31T08:00:00Z') }, 'slot-outside-booking-window', 'start'],
    [{ interpreterLanguage: 'ar' }, 'interpreter-not-offered', 'interpreter_language'],
    [{ interpreterLanguage: 'xx' }, 'interpreter-language-unsupported', 'interpreter_language'],
    [{ invitationCode: 'ABCD-EFGH' }, 'invitation-not-needed', 'invitation_code'],
    [
      { serviceId: 'jobcenter-erstgespraech', locationId: 'jobcenter-leipzig' },
      'invitation-required',
      'invitation_code',
    ],
  ])('refuses %j: %s', async (change, code, field) => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    await expect(bookAppointment(world.deps, command(change))).rejects.toMatchObject({ code, field });
    expect(world.capacity.seats.size).toBe(0);
  });

  it('books free video interpreting with a registry-office service', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    const booked = await bookAppointment(
      world.deps,
      command({
        locationId: 'standesamt-leipzig',
        serviceId: 'standesamt-geburt-beurkunden',
        interpreterLanguage: 'ar',
      }),
    );
    expect(booked.interpreterLanguage).toBe('ar');
  });
});

describe('invitation-only services', () => {
  const jobcenter = (overrides: Partial<BookAppointmentCommand>) =>
    command({
      serviceId: 'jobcenter-erstgespraech',
      locationId: 'jobcenter-leipzig',
      personId: 'P0000004',
      ...overrides,
    });

  async function invited(world: ReturnType<typeof memoryWorld>, personId = 'P0000004') {
    return createInvitation(world.deps, {
      clientId: 'jobcenter',
      personId,
      serviceId: 'jobcenter-erstgespraech',
      validUntil: '2026-12-04',
      authorityId: 'jobcenter-leipzig',
    });
  }

  it('are booked by the invited person with the code, once', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    const invitation = await invited(world);
    const booked = await bookAppointment(world.deps, jobcenter({ invitationCode: invitation.code }));
    expect(booked.state).toBe('booked');
    expect(world.invitations.docs.get(invitation.code)?.data.usedBy?.appointmentId).toBe(booked.id);
    // The same request again returns the same booking, not "used".
    expect((await bookAppointment(world.deps, jobcenter({ invitationCode: invitation.code }))).id).toBe(booked.id);
    await expect(
      bookAppointment(
        world.deps,
        jobcenter({ idempotencyKey: 'key-2', invitationCode: invitation.code, start: TUESDAY_1000 }),
      ),
    ).rejects.toMatchObject({ code: 'invitation-used', field: 'invitation_code' });
  });

  it('refuse a foreign or unknown code, and a date after the last valid day', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    const invitation = await invited(world);
    await expect(
      bookAppointment(
        world.deps,
        jobcenter({ idempotencyKey: 'foreign', personId: 'P0000001', invitationCode: invitation.code }),
      ),
    ).rejects.toMatchObject({ code: 'invitation-not-valid', field: 'invitation_code' });
    await expect(
      bookAppointment(world.deps, jobcenter({ idempotencyKey: 'unknown', invitationCode: 'ZZZZ-ZZZZ' })),
    ).rejects.toMatchObject({ code: 'invitation-not-valid' });
    await expect(
      bookAppointment(
        world.deps,
        jobcenter({ idempotencyKey: 'late', invitationCode: invitation.code, start: new Date('2026-12-07T08:00:00Z') }),
      ),
    ).rejects.toMatchObject({ code: 'invitation-expired' });
    // Refused attempts neither use the invitation nor hold capacity.
    expect(world.invitations.docs.get(invitation.code)?.data.usedBy).toBeNull();
    expect(world.capacity.seats.size).toBe(0);
    const booked = await bookAppointment(
      world.deps,
      jobcenter({ idempotencyKey: 'ok', invitationCode: invitation.code }),
    );
    expect(booked.state).toBe('booked');
    expect(Object.values(world.capacity.holdsOn('jobcenter-leipzig/jobcenter/2026-11-24'))).toEqual([
      ['t0900', 't0915', 't0930'], // 45 minutes
    ]);
  });

  it('can be used again after the appointment is cancelled', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    const invitation = await invited(world);
    const first = await bookAppointment(world.deps, jobcenter({ invitationCode: invitation.code }));
    await cancelAppointment(world.deps, {
      appointmentId: first.id,
      personId: 'P0000004',
      reason: 'citizen',
      origin: {},
    });
    const second = await bookAppointment(
      world.deps,
      jobcenter({ idempotencyKey: 'key-2', invitationCode: invitation.code, start: TUESDAY_1000 }),
    );
    expect(second.state).toBe('booked');
  });
});

describe('cancelling and rescheduling', () => {
  it('only the person booked may cancel; cancelling frees the counter and is idempotent', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    const booked = await bookAppointment(world.deps, command());
    await expect(
      cancelAppointment(world.deps, { appointmentId: booked.id, personId: 'P0000002', reason: 'citizen', origin: {} }),
    ).rejects.toMatchObject({ code: 'not-the-booked-person' });
    const cancelled = await cancelAppointment(world.deps, {
      appointmentId: booked.id,
      personId: 'P0000001',
      reason: 'citizen',
      origin: {},
    });
    expect(cancelled.state).toBe('cancelled');
    expect(world.capacity.seats.size).toBe(0);
    await cancelAppointment(world.deps, {
      appointmentId: booked.id,
      personId: 'P0000001',
      reason: 'citizen',
      origin: {},
    });
    expect(world.events().map((e) => e.event.type)).toEqual(['AppointmentBooked', 'AppointmentCancelled']);
    await expect(
      cancelAppointment(world.deps, { appointmentId: 'nope', personId: 'P0000001', reason: 'citizen', origin: {} }),
    ).rejects.toMatchObject({ code: 'appointment-not-found' });
  });

  it('moves the capacity to the new slot, or changes nothing when the new slot is full', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    const booked = await bookAppointment(world.deps, command());
    const moved = await rescheduleAppointment(world.deps, {
      appointmentId: booked.id,
      personId: 'P0000001',
      newStart: new Date('2026-11-25T09:00:00Z'),
      newLocationId: 'koffer-plagwitz',
      origin: {},
    });
    expect(moved.slot).toMatchObject({ locationId: 'koffer-plagwitz', slotKeys: ['t1000'] });
    expect(world.capacity.seatsTaken('bb-zentrum/buergerbuero/2026-11-24', 't0900')).toBe(0);
    expect(world.capacity.seatsTaken('koffer-plagwitz/buergerbuero/2026-11-25', 't1000')).toBe(1);

    const other = await bookAppointment(world.deps, command({ idempotencyKey: 'key-2', personId: 'P0000002' }));
    await expect(
      rescheduleAppointment(world.deps, {
        appointmentId: other.id,
        personId: 'P0000002',
        newStart: new Date('2026-11-25T09:00:00Z'),
        newLocationId: 'koffer-plagwitz',
        origin: {},
      }),
    ).rejects.toMatchObject({ code: 'slot-full', field: 'new_start' });
    const unchanged = await world.appointments.get(other.id);
    expect(unchanged?.data).toMatchObject({
      state: 'booked',
      pending: null,
      releases: [],
      slot: { locationId: 'bb-zentrum' },
    });
    expect(world.capacity.holdsOn('koffer-plagwitz/buergerbuero/2026-11-25')).toEqual({
      [`${booked.id}~2`]: ['t1000'],
    });
    expect(world.events().map((e) => e.event.type)).toEqual([
      'AppointmentBooked',
      'AppointmentRescheduled',
      'AppointmentBooked',
    ]);
  });
});
