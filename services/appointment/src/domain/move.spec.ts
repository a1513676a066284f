import { DomainError } from './errors.js';
import { Move, type ReceivedMove } from './move.js';

const now = new Date('2026-11-23T08:00:00Z');
const received: ReceivedMove = {
  id: 'm1',
  applicantId: 'P0000001',
  personIds: ['P0000001', 'P0000002', 'P0000003'],
  district: 'Plagwitz',
  serviceId: 'personalausweis-adressaenderung',
  preference: { locationId: '', autoBook: false, earliestDate: '', interpreterLanguage: '' },
  origin: { correlationId: 'bundle-1', causationId: 'event-1' },
};
const slot = {
  locationId: 'koffer-plagwitz',
  serviceId: 'personalausweis-adressaenderung',
  start: new Date('2026-11-25T09:00:00Z'),
  end: new Date('2026-11-25T09:15:00Z'),
  freeCapacity: 1,
};

describe('a move', () => {
  it('offers slots once, keyed by the applicant, in the bundle of AddressChanged', () => {
    const move = Move.received(received, now);
    const raised = move.offer([slot], now);
    expect(raised).toEqual({
      event: {
        type: 'AppointmentOffered',
        moveId: 'm1',
        personId: 'P0000001',
        serviceId: 'personalausweis-adressaenderung',
        slots: [slot],
      },
      subject: 'P0000001',
      origin: received.origin,
    });
    expect(move.status).toBe('offered');
    expect(() => move.offer([slot], now)).toThrow(DomainError);
  });

  it('gives each person of the move one live appointment', () => {
    const move = Move.received(received, now);
    expect(move.claim('P0000002', 'a1', false, now)).toBe(true);
    expect(move.claim('P0000002', 'a1', false, now)).toBe(false);
    expect(() => move.claim('P0000002', 'a2', true, now)).toThrow(
      expect.objectContaining({ code: 'move-already-has-appointment' }),
    );
    expect(move.claim('P0000002', 'a2', false, now)).toBe(true); // a1 was cancelled
    expect(() => move.claim('P0000009', 'a3', false, now)).toThrow(
      expect.objectContaining({ code: 'person-not-in-move', field: 'person_id' }),
    );
  });

  it('is revoked for good, returning its appointments to cancel', () => {
    const move = Move.received(received, now);
    move.claim('P0000001', 'a1', false, now);
    move.claim('P0000003', 'a3', false, now);
    expect(move.revoke(now)).toEqual(['a1', 'a3']);
    expect(move.status).toBe('revoked');
    expect(move.revoke(now)).toEqual(['a1', 'a3']);
    expect(() => move.claim('P0000002', 'a2', false, now)).toThrow(expect.objectContaining({ code: 'move-revoked' }));
    move.markBooked(now);
    expect(move.status).toBe('revoked');
  });

  it('heard of first through its revocation stays revoked when AddressChanged arrives', () => {
    const move = Move.revokedBeforeReceived('m1', 'P0000001', ['P0000001'], now);
    move.absorb(received, now);
    expect(move.status).toBe('revoked');
    expect(() => move.offer([], now)).toThrow(DomainError);
  });

  it('heard of first through a booking takes over what AddressChanged says', () => {
    const move = Move.bookedBeforeReceived('m1', 'P0000002', 'personalausweis-adressaenderung', now);
    move.claim('P0000002', 'a2', false, now);
    expect(move.absorb(received, now)).toBe(true);
    expect(move.absorb(received, now)).toBe(false);
    expect(move.snapshot).toMatchObject({ applicantId: 'P0000001', known: true, status: 'received' });
    expect(move.claimOf('P0000002')?.appointmentId).toBe('a2');
  });
});
