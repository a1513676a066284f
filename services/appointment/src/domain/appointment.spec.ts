import { Appointment, holdKey, type NewAppointment } from './appointment.js';
import { DomainError } from './errors.js';
import type { SlotRef } from './slots.js';

const now = new Date('2026-11-23T08:00:00Z');
const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

const slotA: SlotRef = {
  locationId: 'bb-zentrum',
  groupId: 'buergerbuero',
  date: '2026-11-24',
  startMinute: 540,
  slotKeys: ['t0900', 't0915'],
  start: new Date('2026-11-24T08:00:00Z'),
  end: new Date('2026-11-24T08:30:00Z'),
};
const slotB: SlotRef = {
  ...slotA,
  startMinute: 600,
  slotKeys: ['t1000', 't1015'],
  start: later(60 * 26),
  end: later(60 * 26 + 30),
};

const input: NewAppointment = {
  id: 'a1',
  bookingCode: 'K7P-4QX',
  personId: 'P0000002',
  subjectId: 'P0000001',
  serviceId: 'reisepass-beantragen',
  moveId: 'm1',
  interpreterLanguage: '',
  invitationCode: '',
  slot: slotA,
  origin: { correlationId: 'bundle-1', causationId: 'event-1' },
  request: null,
};
const cause = { correlationId: 'bundle-1', causationId: 'request-9' };

function booked(): Appointment {
  const a = Appointment.reserve(input, now);
  a.confirm(now);
  return a;
}

describe('an appointment', () => {
  it('is reserved under its first hold key and booked with an AppointmentBooked keyed by the applicant', () => {
    const a = Appointment.reserve(input, now);
    expect(a.state).toBe('reserving');
    expect(a.hold).toEqual({ dayId: 'bb-zentrum/buergerbuero/2026-11-24', key: 'a1~1', slotKeys: ['t0900', 't0915'] });
    expect(a.isLive).toBe(true);
    const raised = a.confirm(later(1));
    expect(a.state).toBe('booked');
    expect(raised).toEqual({
      event: {
        type: 'AppointmentBooked',
        appointmentId: 'a1',
        personId: 'P0000002',
        serviceId: 'reisepass-beantragen',
        locationId: 'bb-zentrum',
        start: slotA.start,
        end: slotA.end,
        moveId: 'm1',
      },
      subject: 'P0000001',
      origin: { correlationId: 'bundle-1', causationId: 'event-1' },
    });
    expect(a.snapshot.updatedAt).toEqual(later(1));
  });

  it('fails when the slot is full, releasing its hold-to-be, and retries under a new key', () => {
    const a = Appointment.reserve(input, now);
    a.fail('slot-full', now);
    expect(a.state).toBe('failed');
    expect(a.isLive).toBe(false);
    expect(a.snapshot.releases.map((r) => r.key)).toEqual(['a1~1']);
    a.retry(slotB, now);
    expect(a.state).toBe('reserving');
    expect(a.hold.key).toBe(holdKey('a1', 2));
    expect(a.snapshot.failure).toBeNull();
  });

  it('refuses transitions from the wrong state', () => {
    const a = booked();
    expect(() => a.confirm(now)).toThrow(DomainError);
    expect(() => a.fail('x', now)).toThrow(DomainError);
    expect(() => a.retry(slotB, now)).toThrow(DomainError);
  });

  it('is cancelled by the citizen before it begins, raising AppointmentCancelled and releasing the hold', () => {
    const a = booked();
    const events = a.cancel('citizen', later(5), cause);
    expect(a.state).toBe('cancelled');
    expect(events).toEqual([
      {
        event: {
          type: 'AppointmentCancelled',
          appointmentId: 'a1',
          personId: 'P0000002',
          moveId: 'm1',
          reason: 'citizen',
        },
        subject: 'P0000001',
        origin: cause,
      },
    ]);
    expect(a.snapshot.releases.map((r) => r.key)).toEqual(['a1~1']);
    expect(a.cancel('citizen', later(6), cause)).toEqual([]); // twice: nothing more
  });

  it('cannot be cancelled by the citizen once begun; a revoked move leaves a past appointment alone', () => {
    const a = booked();
    expect(() => a.cancel('citizen', slotA.start, cause)).toThrow(
      expect.objectContaining({ code: 'appointment-in-past' }),
    );
    expect(a.cancel('move-revoked', slotA.start, cause)).toEqual([]);
    expect(a.state).toBe('booked');
  });

  it('cancelled while still reserving raises nothing (nothing was announced) but releases', () => {
    const a = Appointment.reserve(input, now);
    expect(a.cancel('move-revoked', now, cause)).toEqual([]);
    expect(a.state).toBe('cancelled');
    expect(a.snapshot.releases.map((r) => r.key)).toEqual(['a1~1']);
    expect(() => a.confirm(now)).toThrow(DomainError);
  });

  it('is rescheduled by holding the new slot first, then moving and releasing the old one', () => {
    const a = booked();
    a.beginReschedule(slotB, now);
    expect(a.pendingHold?.key).toBe('a1~2');
    expect(() => a.beginReschedule(slotB, now)).toThrow(expect.objectContaining({ code: 'reschedule-in-progress' }));
    const raised = a.completeReschedule(later(1), cause);
    expect(raised.event).toEqual({
      type: 'AppointmentRescheduled',
      appointmentId: 'a1',
      personId: 'P0000002',
      moveId: 'm1',
      locationId: 'bb-zentrum',
      start: slotB.start,
      end: slotB.end,
    });
    expect(a.snapshot.slot).toEqual(slotB);
    expect(a.snapshot.rev).toBe(2);
    expect(a.hold.key).toBe('a1~2');
    expect(a.snapshot.releases.map((r) => r.key)).toEqual(['a1~1']);
  });

  it('keeps its slot when a reschedule is aborted, releasing the new hold', () => {
    const a = booked();
    a.beginReschedule(slotB, now);
    a.abortReschedule(now);
    expect(a.snapshot.slot).toEqual(slotA);
    expect(a.snapshot.pending).toBeNull();
    expect(a.snapshot.releases.map((r) => r.key)).toEqual(['a1~2']);
    a.released(['a1~2'], now);
    expect(a.snapshot.releases).toEqual([]);
  });

  it('cancelled during a reschedule releases both holds', () => {
    const a = booked();
    a.beginReschedule(slotB, now);
    a.cancel('citizen', now, cause);
    expect(a.snapshot.releases.map((r) => r.key)).toEqual(['a1~1', 'a1~2']);
    expect(() => a.completeReschedule(now, cause)).toThrow(DomainError);
  });

  it('cannot be rescheduled when cancelled or begun', () => {
    const a = booked();
    expect(() => a.beginReschedule(slotB, slotA.start)).toThrow(
      expect.objectContaining({ code: 'appointment-in-past' }),
    );
    a.cancel('citizen', now, cause);
    expect(() => a.beginReschedule(slotB, now)).toThrow(expect.objectContaining({ code: 'appointment-cancelled' }));
  });

  it('joins a move bundle while reserving', () => {
    const a = Appointment.reserve(
      { ...input, subjectId: 'P0000002', origin: { correlationId: 'x', causationId: 'y' } },
      now,
    );
    expect(a.attachToMove('P0000001', 'bundle-1', now)).toBe(true);
    expect(a.attachToMove('P0000001', 'bundle-1', now)).toBe(false);
    expect(a.confirm(now).subject).toBe('P0000001');
  });
});
