import { DomainError } from './errors.js';
import type { EventOrigin, OfferedSlot, RaisedEvent } from './events.js';

/**
 * A move (from registration's AddressChanged) as far as its in-person step
 * goes: what the citizen wanted, and which appointment each person of the
 * move holds for it.
 *
 *   received ──auto-booked──▶ booked
 *       └────offered───────▶ offered ──citizen picks──▶ booked
 *   (any) ──AddressChangeRevoked──▶ revoked (final)
 *
 * A revocation may arrive before the move itself (redelivery, replay): the
 * move is then created revoked, and its AddressChanged changes nothing.
 * A citizen may also book for a move that this service has not heard of yet
 * (consumer lag); the move is then created `known: false` and completed when
 * AddressChanged arrives.
 */
export type MoveStatus = 'received' | 'offered' | 'booked' | 'revoked';

export interface AppointmentPreference {
  /** '' = any location near the new address. */
  locationId: string;
  autoBook: boolean;
  /** '' = from tomorrow. */
  earliestDate: string;
  interpreterLanguage: string;
}

export interface MoveClaim {
  appointmentId: string;
  at: Date;
}

export interface MoveData {
  id: string;
  applicantId: string;
  /** Everyone the move covers, applicant first. */
  personIds: string[];
  /** District (Ortsteil) of the new address. */
  district: string;
  serviceId: string;
  preference: AppointmentPreference | null;
  /** Whether AddressChanged was seen (false for a revocation or a booking that came first). */
  known: boolean;
  status: MoveStatus;
  /** Appointment per person id. */
  claims: Record<string, MoveClaim>;
  offered: OfferedSlot[];
  /** Origin of AddressChanged: events caused by it keep its correlation id. */
  origin: EventOrigin | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ReceivedMove {
  id: string;
  applicantId: string;
  personIds: string[];
  district: string;
  serviceId: string;
  preference: AppointmentPreference;
  origin: EventOrigin;
}

export class Move {
  private constructor(private data: MoveData) {}

  static received(input: ReceivedMove, now: Date): Move {
    return new Move({
      ...input,
      known: true,
      status: 'received',
      claims: {},
      offered: [],
      createdAt: now,
      updatedAt: now,
    });
  }

  /** A move first heard of through its revocation. */
  static revokedBeforeReceived(id: string, applicantId: string, personIds: string[], now: Date): Move {
    return new Move({
      id,
      applicantId,
      personIds: personIds.length > 0 ? personIds : [applicantId],
      district: '',
      serviceId: '',
      preference: null,
      known: false,
      status: 'revoked',
      claims: {},
      offered: [],
      origin: null,
      createdAt: now,
      updatedAt: now,
    });
  }

  /** A move first heard of through a citizen's booking for it. */
  static bookedBeforeReceived(id: string, personId: string, serviceId: string, now: Date): Move {
    return new Move({
      id,
      applicantId: personId,
      personIds: [personId],
      district: '',
      serviceId,
      preference: null,
      known: false,
      status: 'received',
      claims: {},
      offered: [],
      origin: null,
      createdAt: now,
      updatedAt: now,
    });
  }

  static from(data: MoveData): Move {
    return new Move(structuredClone(data));
  }

  get snapshot(): Readonly<MoveData> {
    return this.data;
  }

  get status(): MoveStatus {
    return this.data.status;
  }

  /** Completes a move known only from a booking with what AddressChanged says. Returns whether it changed. */
  absorb(input: ReceivedMove, now: Date): boolean {
    if (this.data.known) return false;
    this.update(now, {
      applicantId: input.applicantId,
      personIds: input.personIds,
      district: input.district,
      serviceId: input.serviceId,
      preference: input.preference,
      origin: input.origin,
      known: true,
    });
    return true;
  }

  claimOf(personId: string): MoveClaim | undefined {
    return Object.hasOwn(this.data.claims, personId) ? this.data.claims[personId] : undefined;
  }

  /**
   * Records that `appointmentId` is the person's appointment for this move.
   * `currentIsLive` says whether the appointment the person holds now (if
   * any) is still reserving or booked; a cancelled or failed one no longer
   * counts. Returns whether the claim changed.
   */
  claim(personId: string, appointmentId: string, currentIsLive: boolean, now: Date): boolean {
    if (this.data.status === 'revoked') throw new DomainError('move-revoked', 'the move was revoked', 'move_id');
    if (this.data.known && !this.data.personIds.includes(personId)) {
      throw new DomainError('person-not-in-move', 'the person is not part of this move', 'person_id');
    }
    const current = this.claimOf(personId);
    if (current?.appointmentId === appointmentId) return false;
    if (current && currentIsLive) {
      throw new DomainError(
        'move-already-has-appointment',
        'the person already has an appointment for this move; reschedule it instead',
        'move_id',
      );
    }
    this.update(now, { claims: { ...this.data.claims, [personId]: { appointmentId, at: now } } });
    return true;
  }

  /** The applicant's appointment is booked. */
  markBooked(now: Date): void {
    if (this.data.status === 'received' || this.data.status === 'offered') this.update(now, { status: 'booked' });
  }

  /** Slots are offered to choose from (possibly none, when nothing is free in the booking horizon). */
  offer(slots: OfferedSlot[], now: Date): RaisedEvent {
    if (this.data.status !== 'received' || !this.data.origin) {
      throw new DomainError('concurrent-modification', `cannot offer slots for a move that is ${this.data.status}`);
    }
    this.update(now, { status: 'offered', offered: slots });
    return {
      event: {
        type: 'AppointmentOffered',
        moveId: this.data.id,
        personId: this.data.applicantId,
        serviceId: this.data.serviceId,
        slots,
      },
      subject: this.data.applicantId,
      origin: this.data.origin,
    };
  }

  /** Revokes the move; returns the appointments booked for it, to be cancelled. Idempotent. */
  revoke(now: Date): string[] {
    if (this.data.status !== 'revoked') this.update(now, { status: 'revoked' });
    return Object.values(this.data.claims).map((c) => c.appointmentId);
  }

  private update(now: Date, changes: Partial<MoveData>): void {
    this.data = { ...this.data, ...changes, updatedAt: now };
  }
}
