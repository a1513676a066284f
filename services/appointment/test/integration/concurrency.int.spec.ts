import { appointment } from '@buergerservice/contracts';
import { status } from '@grpc/grpc-js';
import { stringIdCollection, appointmentModels } from '../../src/store/schemas.js';
import { call, rpcError, startTestService, type TestService } from './support.js';

/**
 * No overbooking under load, on the real database (FerretDB 1.24 or
 * MongoDB) through the real gRPC server: 50 citizens try to book the last
 * seat of a slot at the same moment.
 */
/** How the attempts ended: "booked", or the status code and message of the refusal. */
function outcomes(attempts: PromiseSettledResult<unknown>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const attempt of attempts) {
    const reason = attempt.status === 'rejected' ? (attempt.reason as { code?: number; details?: string }) : undefined;
    const key = reason ? `${reason.code} ${reason.details}` : 'booked';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('the last seat of a slot', () => {
  let svc: TestService;

  beforeAll(async () => {
    svc = await startTestService('appt-concurrency');
  });

  afterAll(async () => {
    await svc?.stop();
  });

  function book(
    client: appointment.AppointmentServiceClient,
    key: string,
    personId: string,
    extra: Partial<appointment.BookAppointmentRequest>,
  ) {
    return call(client, 'bookAppointment', {
      idempotencyKey: key,
      personId,
      serviceId: 'personalausweis-adressaenderung',
      locationId: 'bb-zentrum',
      start: new Date('2026-11-24T08:00:00Z'), // Tuesday 09:00: six counters
      interpreterLanguage: '',
      invitationCode: '',
      moveId: '',
      ...extra,
    });
  }

  async function seatsOn(dayId: string, slotKey: string) {
    const seats = stringIdCollection(appointmentModels(svc.connection).seats);
    return seats.find({ dayId, slotKey }).toArray();
  }

  it('goes to exactly one of 50 concurrent bookings', async () => {
    const portal = svc.client();
    for (let i = 0; i < 5; i++) await book(portal, `early-${i}`, `P10000${i}`, {});

    const attempts = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => book(svc.client(), `race-${i}`, `P20000${String(i).padStart(2, '0')}`, {})),
    );
    expect(outcomes(attempts)).toEqual({ booked: 1, [`${status.FAILED_PRECONDITION} the slot is fully booked`]: 49 });

    const seats = await seatsOn('bb-zentrum/buergerbuero/2026-11-24', 't0900');
    expect(seats).toHaveLength(6);
    const { slots } = await call(portal, 'listFreeSlots', {
      serviceId: 'personalausweis-adressaenderung',
      locationId: 'bb-zentrum',
      district: '',
      fromDate: '2026-11-24',
      toDate: '2026-11-24',
      limit: 1,
    });
    expect(slots[0]?.start).toEqual(new Date('2026-11-24T08:15:00Z')); // 09:00 is gone
  });

  it('goes to exactly one of 50 concurrent bookings of a one-hour appointment, which takes four slots or none', async () => {
    const portal = svc.client();
    const registry = {
      serviceId: 'standesamt-eheschliessung-anmelden',
      locationId: 'standesamt-leipzig',
      start: new Date('2026-11-24T09:00:00Z'), // 10:00-11:00: t1000 ... t1045, four desks
    };
    // Three desks are taken at 10:30 by 30-minute appointments: the hour from 10:00 has one seat left.
    for (let i = 0; i < 3; i++) {
      await book(portal, `birth-${i}`, `P30000${i}`, {
        serviceId: 'standesamt-geburt-beurkunden',
        locationId: 'standesamt-leipzig',
        start: new Date('2026-11-24T09:30:00Z'),
      });
    }
    const attempts = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        book(svc.client(), `marriage-${i}`, `P40000${String(i).padStart(2, '0')}`, registry),
      ),
    );
    expect(outcomes(attempts)).toEqual({ booked: 1, [`${status.FAILED_PRECONDITION} the slot is fully booked`]: 49 });

    const day = 'standesamt-leipzig/standesamt/2026-11-24';
    // The winner holds all four slots; the losers hold nothing (their partial seats were given back).
    expect((await seatsOn(day, 't1000')).length).toBe(1);
    expect((await seatsOn(day, 't1015')).length).toBe(1);
    expect((await seatsOn(day, 't1030')).length).toBe(4);
    expect((await seatsOn(day, 't1045')).length).toBe(4);
    const holds = new Set([...(await seatsOn(day, 't1000')), ...(await seatsOn(day, 't1015'))].map((s) => s.hold));
    expect(holds.size).toBe(1);
  });

  it('is not taken twice by the same request sent twice at once', async () => {
    const portal = svc.client();
    const start = new Date('2026-11-25T09:00:00Z'); // the Bürgerkoffer in Plagwitz: one seat
    const [a, b] = await Promise.all([
      book(portal, 'twice', 'P5000001', { locationId: 'koffer-plagwitz', start }),
      book(portal, 'twice', 'P5000001', { locationId: 'koffer-plagwitz', start }),
    ]);
    expect(a.appointment?.appointmentId).toBe(b.appointment?.appointmentId);
    expect(await seatsOn('koffer-plagwitz/buergerbuero/2026-11-25', 't1000')).toHaveLength(1);
    const other = await rpcError(book(portal, 'other', 'P5000002', { locationId: 'koffer-plagwitz', start }));
    expect(other.code).toBe(status.FAILED_PRECONDITION);
  });
});
