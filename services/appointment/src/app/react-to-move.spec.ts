import { leipzigCatalogue } from '../seed-data.js';
import { bookAppointment } from './book-appointment.js';
import { type AddressChangedCommand, reactToAddressChanged } from './react-to-address-changed.js';
import { type AddressChangeRevokedCommand, reactToAddressChangeRevoked } from './react-to-address-change-revoked.js';
import { memoryWorld } from './testing/memory.js';

// Monday, 23 November 2026, 08:00 in Leipzig.
const NOW = new Date('2026-11-23T07:00:00Z');

function changed(
  overrides: Partial<AddressChangedCommand> = {},
  preference: Partial<NonNullable<AddressChangedCommand['appointment']>> = {},
): AddressChangedCommand {
  return {
    eventId: 'event-1',
    correlationId: 'bundle-1',
    moveId: 'move-1',
    applicantId: 'P0000001',
    personIds: ['P0000001', 'P0000002', 'P0000003'],
    district: 'Plagwitz',
    movedAbroad: false,
    appointment: {
      wanted: true,
      locationId: '',
      autoBook: true,
      earliestDate: '',
      interpreterLanguage: '',
      ...preference,
    },
    ...overrides,
  };
}

const revoked: AddressChangeRevokedCommand = {
  eventId: 'event-2',
  correlationId: 'bundle-1',
  moveId: 'move-1',
  applicantId: 'P0000001',
  personIds: ['P0000001', 'P0000002', 'P0000003'],
};

describe('reacting to AddressChanged', () => {
  it('books the earliest slot at the preferred location, in the bundle of the move', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    expect(await reactToAddressChanged(world.deps, changed({}, { locationId: 'koffer-plagwitz' }))).toBe('booked');
    const events = world.events();
    expect(events).toEqual([
      {
        event: {
          type: 'AppointmentBooked',
          appointmentId: expect.any(String),
          personId: 'P0000001',
          serviceId: 'personalausweis-adressaenderung',
          locationId: 'koffer-plagwitz',
          start: new Date('2026-11-25T09:00:00Z'), // Wednesday 10:00, the Bürgerkoffer's next visit
          end: new Date('2026-11-25T09:15:00Z'),
          moveId: 'move-1',
        },
        subject: 'P0000001',
        origin: { correlationId: 'bundle-1', causationId: 'event-1' },
      },
    ]);
    expect((await world.moves.get('move-1'))?.data.status).toBe('booked');
  });

  it('books near the new address without a preference, from the earliest date wanted', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    await reactToAddressChanged(world.deps, changed({ district: 'Grünau-Mitte' }, { earliestDate: '2026-11-26' }));
    expect(world.events()[0]?.event).toMatchObject({
      locationId: 'bb-gruenau',
      start: new Date('2026-11-26T08:00:00Z'), // Thursday 09:00
    });
  });

  it('changes nothing when AddressChanged is delivered again', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    await reactToAddressChanged(world.deps, changed());
    const capacity = structuredClone([...world.capacity.seats]);
    expect(await reactToAddressChanged(world.deps, changed())).toBe('duplicate');
    expect(await reactToAddressChanged(world.deps, changed({ eventId: 'event-1-republished' }))).toBe('duplicate');
    expect(world.events()).toHaveLength(1);
    expect([...world.capacity.seats]).toEqual(capacity);
  });

  it('continues an auto-booking a crash interrupted after the capacity was held', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    const update = world.appointments.update.bind(world.appointments);
    let crashed = false;
    world.appointments.update = async (data, version, events) => {
      if (!crashed && data.state === 'booked') {
        crashed = true;
        throw new Error('connection lost');
      }
      return update(data, version, events);
    };
    await expect(reactToAddressChanged(world.deps, changed())).rejects.toThrow('connection lost');
    expect(await reactToAddressChanged(world.deps, changed())).toBe('booked');
    expect(world.events()).toHaveLength(1);
    expect(world.capacity.holds().size).toBe(1);
  });

  it('offers the three earliest slots near the new address when automatic booking was not allowed', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    expect(await reactToAddressChanged(world.deps, changed({ district: 'Grünau-Mitte' }, { autoBook: false }))).toBe(
      'offered',
    );
    const [offered] = world.events();
    expect(offered?.event.type).toBe('AppointmentOffered');
    if (offered?.event.type !== 'AppointmentOffered') throw new Error('not offered');
    expect(offered.event.slots).toHaveLength(3);
    expect(offered.event.slots.map((s) => [s.locationId, s.start.toISOString()])).toEqual([
      ['bb-gruenau', '2026-11-24T08:00:00.000Z'],
      ['bb-leutzsch', '2026-11-24T08:00:00.000Z'],
      ['bb-gruenau', '2026-11-24T08:15:00.000Z'],
    ]);
    expect(world.capacity.seats.size).toBe(0);
    expect(await reactToAddressChanged(world.deps, changed({ district: 'Grünau-Mitte' }, { autoBook: false }))).toBe(
      'duplicate',
    );
  });

  it('offers instead when nothing is free at the preferred location', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW, { window: { horizonDays: 1, minLeadMinutes: 60 } });
    // No Bürgerkoffer visit within one day: nothing to auto-book at the library.
    expect(await reactToAddressChanged(world.deps, changed({}, { locationId: 'koffer-reudnitz' }))).toBe('offered');
  });

  it('ignores moves without the wish, and moves abroad', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    expect(await reactToAddressChanged(world.deps, changed({ appointment: undefined }))).toBe('not-wanted');
    expect(await reactToAddressChanged(world.deps, changed({}, { wanted: false }))).toBe('not-wanted');
    expect(await reactToAddressChanged(world.deps, changed({ movedAbroad: true }))).toBe('not-wanted');
    expect(world.events()).toEqual([]);
  });

  it('books without an interpreter when the ID-card service offers none', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    await reactToAddressChanged(world.deps, changed({}, { interpreterLanguage: 'ar' }));
    const [appointment] = [...world.appointments.docs.values()];
    expect(appointment?.data).toMatchObject({ state: 'booked', interpreterLanguage: '' });
  });
});

describe('picking an offered slot in the portal', () => {
  it('books it for the move, in the bundle, one live appointment per person of the move', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    await reactToAddressChanged(world.deps, changed({}, { autoBook: false }));
    const pick = {
      clientId: 'portal-gateway',
      idempotencyKey: 'pick-1',
      personId: 'P0000002',
      serviceId: 'personalausweis-adressaenderung',
      locationId: 'bb-zentrum',
      start: new Date('2026-11-24T08:00:00Z'),
      interpreterLanguage: '',
      invitationCode: '',
      moveId: 'move-1',
      origin: {},
    };
    const booked = await bookAppointment(world.deps, pick);
    expect(world.events().at(-1)).toMatchObject({
      event: { type: 'AppointmentBooked', personId: 'P0000002', moveId: 'move-1' },
      subject: 'P0000001',
      origin: { correlationId: 'bundle-1' },
    });
    await expect(
      bookAppointment(world.deps, { ...pick, idempotencyKey: 'pick-2', start: new Date('2026-11-24T08:15:00Z') }),
    ).rejects.toMatchObject({ code: 'move-already-has-appointment' });
    await expect(
      bookAppointment(world.deps, { ...pick, idempotencyKey: 'pick-3', personId: 'P0000009' }),
    ).rejects.toMatchObject({ code: 'person-not-in-move' });
    await expect(
      bookAppointment(world.deps, { ...pick, idempotencyKey: 'pick-4', serviceId: 'meldebescheinigung' }),
    ).rejects.toMatchObject({ code: 'wrong-service-for-move' });

    await reactToAddressChangeRevoked(world.deps, revoked);
    expect((await world.appointments.get(booked.id))?.data.state).toBe('cancelled');
    await expect(
      bookAppointment(world.deps, { ...pick, idempotencyKey: 'pick-5', personId: 'P0000003' }),
    ).rejects.toMatchObject({ code: 'move-revoked' });
  });

  it('works before the move reached this service, and the move then books nothing more', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    await bookAppointment(world.deps, {
      clientId: 'portal-gateway',
      idempotencyKey: 'early',
      personId: 'P0000001',
      serviceId: 'personalausweis-adressaenderung',
      locationId: 'bb-zentrum',
      start: new Date('2026-11-24T08:00:00Z'),
      interpreterLanguage: '',
      invitationCode: '',
      moveId: 'move-1',
      origin: { correlationId: 'bundle-1' },
    });
    expect(await reactToAddressChanged(world.deps, changed())).toBe('booked');
    expect(world.events().map((e) => e.event.type)).toEqual(['AppointmentBooked']);
    expect((await world.moves.get('move-1'))?.data).toMatchObject({ known: true, status: 'booked' });
  });
});

describe('reacting to AddressChangeRevoked', () => {
  it('cancels the move appointment and frees its capacity, once', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    await reactToAddressChanged(world.deps, changed());
    expect(await reactToAddressChangeRevoked(world.deps, revoked)).toEqual({ cancelled: 1 });
    expect(await reactToAddressChangeRevoked(world.deps, revoked)).toEqual({ cancelled: 0 });
    expect(world.events().map((e) => [e.event.type, e.origin])).toEqual([
      ['AppointmentBooked', { correlationId: 'bundle-1', causationId: 'event-1' }],
      ['AppointmentCancelled', { correlationId: 'bundle-1', causationId: 'event-2' }],
    ]);
    expect(world.events()[1]?.event).toMatchObject({ reason: 'move-revoked', moveId: 'move-1' });
    expect(world.capacity.seats.size).toBe(0);
  });

  it('arriving first makes the later AddressChanged book nothing', async () => {
    const world = memoryWorld(leipzigCatalogue(), NOW);
    expect(await reactToAddressChangeRevoked(world.deps, revoked)).toEqual({ cancelled: 0 });
    expect(await reactToAddressChanged(world.deps, changed())).toBe('revoked');
    expect(world.events()).toEqual([]);
    expect(world.capacity.seats.size).toBe(0);
  });
});
