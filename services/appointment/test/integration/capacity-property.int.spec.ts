import { databaseUrl, uniqueName } from '@buergerservice/testing';
import fc from 'fast-check';
import mongoose, { type Connection } from 'mongoose';
import { bookAppointment } from '../../src/app/book-appointment.js';
import { cancelAppointment } from '../../src/app/cancel-appointment.js';
import { derivedId } from '../../src/app/ids.js';
import type { AppDeps } from '../../src/app/ports.js';
import { releaseStaleReservations } from '../../src/app/release-stale-reservations.js';
import { rescheduleAppointment } from '../../src/app/reschedule-appointment.js';
import { type Catalogue, CatalogueIndex } from '../../src/domain/catalogue.js';
import { DomainError } from '../../src/domain/errors.js';
import { MongoCapacity } from '../../src/store/capacity.js';
import { MongoAppointments, MongoInvitations, MongoMoves } from '../../src/store/repositories.js';
import { appointmentModels, stringIdCollection } from '../../src/store/schemas.js';
import { memoryLogger } from './support.js';

/**
 * The capacity property of the unit tests, on the real database with real
 * concurrency: whatever the interleaving of bookings, cancellations and
 * reschedules, a slot never has more seats taken than counters, and once
 * everything settled the seats taken are exactly those of the booked
 * appointments.
 */

// Sunday 22 November 2026, 10:00; the office opens Monday 08:00-09:00 with two counters.
const NOW = new Date('2026-11-22T09:00:00Z');
const STARTS = [0, 15, 30, 45].map((m) => new Date(Date.UTC(2026, 10, 23, 7, m)));
const DAY = 'office/g/2026-11-23';

const catalogue: Catalogue = {
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
  services: ['s15', 's30'].map((id) => ({
    id,
    name: id,
    durationMinutes: id === 's15' ? 15 : 30,
    groupId: 'g',
    locationIds: ['office'],
    invitationOnly: false,
    interpreterAvailable: false,
    invitingAuthorities: [],
  })),
  cityClosures: [],
  authorities: [],
};

type Command =
  | { kind: 'book'; key: number; service: 's15' | 's30'; start: number }
  | { kind: 'cancel'; key: number }
  | { kind: 'reschedule'; key: number; start: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant('book' as const),
    key: fc.nat(5),
    service: fc.constantFrom('s15' as const, 's30' as const),
    start: fc.nat(3),
  }),
  fc.record({ kind: fc.constant('cancel' as const), key: fc.nat(5) }),
  fc.record({ kind: fc.constant('reschedule' as const), key: fc.nat(5), start: fc.nat(3) }),
);

describe('capacity on the real database under concurrent book, cancel and reschedule', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose.createConnection(databaseUrl(uniqueName('appt-capacity'))).asPromise();
    await Promise.all(Object.values(appointmentModels(connection)).map((model) => model.init()));
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  it('never exceeds the counters and ends equal to the booked appointments', async () => {
    const models = appointmentModels(connection);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 2, maxLength: 12 }), async (commands) => {
        run += 1;
        await Promise.all([
          models.appointments.deleteMany({}),
          models.seats.deleteMany({}),
          models.moves.deleteMany({}),
        ]);
        let now = NOW;
        const index = new CatalogueIndex(catalogue);
        const deps: AppDeps = {
          appointments: new MongoAppointments(models, 'unused', () => undefined),
          moves: new MongoMoves(models, 'unused', () => undefined),
          invitations: new MongoInvitations(models),
          capacity: new MongoCapacity(models),
          catalogue: { current: async () => index },
          clock: { now: () => now },
          random: (n) => Uint8Array.from({ length: n }, (_, i) => (i * 13 + run) % 256),
          settings: {
            window: { horizonDays: 90, minLeadMinutes: 60 },
            interpreterLanguages: [],
            moveServiceId: 's15',
            nearLocations: 3,
            offerCount: 3,
            staleAfterMs: 60_000,
          },
          logger: memoryLogger().logger,
        };
        const id = (key: number) => derivedId('booking', 'portal-gateway', `run${run}-key-${key}`);
        const tasks = commands.map(async (command) => {
          try {
            if (command.kind === 'book') {
              await bookAppointment(deps, {
                clientId: 'portal-gateway',
                idempotencyKey: `run${run}-key-${command.key}`,
                personId: `P${command.key}`,
                serviceId: command.service,
                locationId: 'office',
                start: STARTS[command.start] as Date,
                interpreterLanguage: '',
                invitationCode: '',
                moveId: '',
                origin: {},
              });
            } else if (command.kind === 'cancel') {
              await cancelAppointment(deps, {
                appointmentId: id(command.key),
                personId: `P${command.key}`,
                reason: 'citizen',
                origin: {},
              });
            } else {
              await rescheduleAppointment(deps, {
                appointmentId: id(command.key),
                personId: `P${command.key}`,
                newStart: STARTS[command.start] as Date,
                newLocationId: '',
                origin: {},
              });
            }
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
          }
        });
        await Promise.all(tasks);
        now = new Date(NOW.getTime() + 61_000);
        await releaseStaleReservations(deps);

        const seats = await stringIdCollection(models.seats).find({ dayId: DAY }).toArray();
        const latest = await Promise.all([0, 1, 2, 3, 4, 5].map((key) => deps.appointments.get(id(key))));
        const booked = latest.flatMap((v) => (v?.data.state === 'booked' ? [v.data] : []));
        for (const key of ['t0800', 't0815', 't0830', 't0845']) {
          const taken = seats.filter((s) => s.slotKey === key);
          expect(taken.length).toBeLessThanOrEqual(2);
          expect(taken.length).toBe(booked.filter((a) => a.slot.slotKeys.includes(key)).length);
        }
        const holds = new Set(seats.map((s) => s.hold));
        expect([...holds].sort()).toEqual(booked.map((a) => `${a.id}~${a.rev}`).sort());
      }),
      { numRuns: 15 },
    );
  }, 300_000);
});
