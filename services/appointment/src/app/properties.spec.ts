import fc from 'fast-check';
import type { Catalogue } from '../domain/catalogue.js';
import { DomainError } from '../domain/errors.js';
import { leipzigCatalogue } from '../seed-data.js';
import { bookAppointment } from './book-appointment.js';
import { cancelAppointment } from './cancel-appointment.js';
import { derivedId } from './ids.js';
import { reactToAddressChanged } from './react-to-address-changed.js';
import { reactToAddressChangeRevoked } from './react-to-address-change-revoked.js';
import { releaseStaleReservations } from './release-stale-reservations.js';
import { rescheduleAppointment } from './reschedule-appointment.js';
import { type MemoryWorld, memoryWorld } from './testing/memory.js';

/**
 * Properties over random interleavings: every store call is a point where
 * fast-check's scheduler decides which of the concurrent use cases goes on,
 * so races between booking, cancelling and rescheduling the same seats are
 * explored systematically rather than by luck.
 */

// Sunday, 22 November 2026, 10:00 in Leipzig; the tiny office opens Monday 08:00–09:00 with two counters.
const NOW = new Date('2026-11-22T09:00:00Z');
const MONDAY = '2026-11-23';
const STARTS = [0, 15, 30, 45].map((m) => new Date(Date.UTC(2026, 10, 23, 7, m)));

const tinyOffice: Catalogue = {
  locations: [
    {
      id: 'office',
      name: 'Bürgerbüro Test',
      kind: 'citizen-office',
      address: {
        street: 'Teststraße',
        houseNumber: '1',
        houseNumberSuffix: '',
        postalCode: '04109',
        municipality: 'Leipzig',
        municipalityKey: '14713000',
        district: 'Zentrum',
      },
      position: { lat: 51.34, lon: 12.37 },
      pools: [{ groupId: 'g', slotMinutes: 15, rules: [{ weekdays: [1], from: '08:00', to: '09:00', counters: 2 }] }],
      closures: [],
    },
  ],
  services: [
    {
      id: 's15',
      name: 'kurz',
      durationMinutes: 15,
      groupId: 'g',
      locationIds: ['office'],
      invitationOnly: false,
      interpreterAvailable: false,
      invitingAuthorities: [],
    },
    {
      id: 's30',
      name: 'lang',
      durationMinutes: 30,
      groupId: 'g',
      locationIds: ['office'],
      invitationOnly: false,
      interpreterAvailable: false,
      invitingAuthorities: [],
    },
  ],
  cityClosures: [],
  authorities: [],
};

type Command =
  | { kind: 'book'; key: number; person: number; service: 's15' | 's30'; start: number }
  | { kind: 'cancel'; key: number; person: number }
  | { kind: 'reschedule'; key: number; person: number; start: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant('book' as const),
    key: fc.nat(5),
    person: fc.nat(2),
    service: fc.constantFrom('s15' as const, 's30' as const),
    start: fc.nat(3),
  }),
  fc.record({ kind: fc.constant('cancel' as const), key: fc.nat(5), person: fc.nat(2) }),
  fc.record({ kind: fc.constant('reschedule' as const), key: fc.nat(5), person: fc.nat(2), start: fc.nat(3) }),
);

const person = (n: number) => `P000000${n + 1}`;
const bookingId = (key: number) => derivedId('booking', 'portal-gateway', `key-${key}`);

function run(world: MemoryWorld, command: Command): Promise<unknown> {
  const { deps } = world;
  switch (command.kind) {
    case 'book':
      return bookAppointment(deps, {
        clientId: 'portal-gateway',
        idempotencyKey: `key-${command.key}`,
        personId: person(command.person),
        serviceId: command.service,
        locationId: 'office',
        start: STARTS[command.start] as Date,
        interpreterLanguage: '',
        invitationCode: '',
        moveId: '',
        origin: {},
      });
    case 'cancel':
      return cancelAppointment(deps, {
        appointmentId: bookingId(command.key),
        personId: person(command.person),
        reason: 'citizen',
        origin: {},
      });
    case 'reschedule':
      return rescheduleAppointment(deps, {
        appointmentId: bookingId(command.key),
        personId: person(command.person),
        newStart: STARTS[command.start] as Date,
        newLocationId: '',
        origin: {},
      });
  }
}

/** Refusals are part of the game (slot full, not found, key reused ...); anything else is a bug. */
async function refusalsOnly(task: Promise<unknown>): Promise<void> {
  try {
    await task;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
  }
}

function capacityWithinLimits(world: MemoryWorld): void {
  for (const [slot, taken] of world.capacity.takenBySlot()) {
    const counters = world.capacity.counters.get(slot) ?? 0;
    if (taken < 0 || taken > counters) throw new Error(`${slot}: ${taken} seats taken of ${counters}`);
  }
}

describe('capacity under random interleavings of book, cancel and reschedule', () => {
  it('is never negative nor above its limit, and always equals the booked appointments', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(commandArb, { minLength: 1, maxLength: 12 }), async (s, commands) => {
        const world = memoryWorld(tinyOffice, NOW, {}, async () => {
          await s.schedule(Promise.resolve());
        });
        // Check the limits after every single capacity write, not only at the end.
        const hold = world.capacity.hold.bind(world.capacity);
        const release = world.capacity.release.bind(world.capacity);
        world.capacity.hold = async (...args) => {
          const result = await hold(...args);
          capacityWithinLimits(world);
          return result;
        };
        world.capacity.release = async (...args) => {
          await release(...args);
          capacityWithinLimits(world);
        };

        await s.waitFor(Promise.all(commands.map((c) => refusalsOnly(run(world, c)))));
        // What a crash would leave to the sweeper: nothing may be left once it ran.
        world.clock.advance(world.deps.settings.staleAfterMs + 1);
        await s.waitFor(releaseStaleReservations(world.deps));

        const dayId = `office/g/${MONDAY}`;
        const booked = [...world.appointments.docs.values()].map((d) => d.data).filter((a) => a.state === 'booked');
        const expectedHolds = Object.fromEntries(booked.map((a) => [`${a.id}~${a.rev}`, [...a.slot.slotKeys].sort()]));
        expect(world.capacity.holdsOn(dayId)).toEqual(expectedHolds);
        for (const key of ['t0800', 't0815', 't0830', 't0845']) {
          const occupying = booked.filter((a) => a.slot.slotKeys.includes(key)).length;
          expect(world.capacity.seatsTaken(dayId, key)).toBe(occupying);
          expect(occupying).toBeLessThanOrEqual(2);
        }
        for (const appointment of world.appointments.docs.values()) {
          expect(appointment.data.releases).toEqual([]);
          expect(appointment.data.pending).toBeNull();
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});

describe('AddressChanged and AddressChangeRevoked delivered twice and out of order', () => {
  // Plenty of counters, so that which move books first does not decide where the others go.
  const roomy = leipzigCatalogue();
  for (const location of roomy.locations) {
    for (const pool of location.pools) for (const rule of pool.rules) rule.counters = 50;
  }
  const MOVE_NOW = new Date('2026-11-23T07:00:00Z');

  interface MoveCase {
    autoBook: boolean;
    locationId: string;
    district: string;
    revoked: boolean;
    /** How often each event is delivered, and in which order the copies arrive (sort keys). */
    changedCopies: number[];
    revokedCopies: number[];
  }

  const moveArb: fc.Arbitrary<MoveCase> = fc.record({
    autoBook: fc.boolean(),
    locationId: fc.constantFrom('', 'bb-zentrum', 'koffer-plagwitz', 'bb-gruenau'),
    district: fc.constantFrom('Plagwitz', 'Grünau-Mitte', 'Reudnitz-Thonberg', 'Zentrum'),
    revoked: fc.boolean(),
    changedCopies: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 }),
    revokedCopies: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 }),
  });

  const changedOf = (i: number, m: MoveCase) => ({
    eventId: `changed-${i}`,
    correlationId: `bundle-${i}`,
    moveId: `move-${i}`,
    applicantId: person(i),
    personIds: [person(i)],
    district: m.district,
    movedAbroad: false,
    appointment: {
      wanted: true,
      locationId: m.locationId,
      autoBook: m.autoBook,
      earliestDate: '',
      interpreterLanguage: '',
    },
  });
  const revokedOf = (i: number) => ({
    eventId: `revoked-${i}`,
    correlationId: `bundle-${i}`,
    moveId: `move-${i}`,
    applicantId: person(i),
    personIds: [person(i)],
  });

  /** What a citizen and an office can observe: the move's outcome, its live appointment, the free capacity. */
  function effectiveState(world: MemoryWorld, moves: number) {
    const appointments = [...world.appointments.docs.values()].map((d) => d.data);
    return {
      moves: Array.from({ length: moves }, (_, i) => {
        const live = appointments.find((a) => a.moveId === `move-${i}` && a.state === 'booked');
        return {
          status: world.moves.docs.get(`move-${i}`)?.data.status,
          appointment: live ? { locationId: live.slot.locationId, start: live.slot.start.toISOString() } : null,
        };
      }),
      taken: Object.fromEntries(world.capacity.takenBySlot()),
    };
  }

  it('end in the same effective state as one in-order delivery, with each fact announced once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(moveArb, { minLength: 1, maxLength: 4 }), async (moves) => {
        const inOrder = memoryWorld(roomy, MOVE_NOW);
        for (const [i, m] of moves.entries()) {
          await reactToAddressChanged(inOrder.deps, changedOf(i, m));
          if (m.revoked) await reactToAddressChangeRevoked(inOrder.deps, revokedOf(i));
        }

        const shuffled = memoryWorld(roomy, MOVE_NOW);
        // Each person's events come on one partition, handled one after the other; persons in parallel.
        await Promise.all(
          moves.map(async (m, i) => {
            const deliveries = [
              ...m.changedCopies.map((order) => ({
                order,
                deliver: () => reactToAddressChanged(shuffled.deps, changedOf(i, m)),
              })),
              ...(m.revoked
                ? m.revokedCopies.map((order) => ({
                    order,
                    deliver: () => reactToAddressChangeRevoked(shuffled.deps, revokedOf(i)),
                  }))
                : []),
            ].sort((a, b) => a.order - b.order);
            for (const { deliver } of deliveries) await deliver();
          }),
        );

        const a = effectiveState(inOrder, moves.length);
        const b = effectiveState(shuffled, moves.length);
        expect(b.moves).toEqual(a.moves);
        expect(b.taken).toEqual(a.taken);
        for (const [i, m] of moves.entries()) {
          const events = shuffled.events().filter((e) => 'moveId' in e.event && e.event.moveId === `move-${i}`);
          const count = (type: string) => events.filter((e) => e.event.type === type).length;
          expect(count('AppointmentBooked') + count('AppointmentOffered')).toBeLessThanOrEqual(1);
          expect(count('AppointmentCancelled')).toBe(m.revoked ? count('AppointmentBooked') : 0);
          if (!m.revoked) expect(count('AppointmentBooked') + count('AppointmentOffered')).toBe(1);
          for (const e of events) expect(e.origin.correlationId).toBe(`bundle-${i}`);
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
