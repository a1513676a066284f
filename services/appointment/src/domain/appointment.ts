import { DomainError } from './errors.js';
import type { CancelReason, EventOrigin, RaisedEvent } from './events.js';
import { dayIdOf, type SlotRef } from './slots.js';

/**
 * An appointment and the saga of its capacity.
 *
 * Capacity lives in other documents (one per location, group and day), and
 * there are no multi-document transactions, so the appointment document is
 * the log of what may be held where:
 *
 *   reserving ──hold ok──▶ booked ──cancel──▶ cancelled
 *       │                    │
 *       └──slot full──▶ failed ──retry──▶ reserving
 *
 * Each attempt holds capacity under its own key (`<id>~<rev>`), so holding
 * is idempotent per attempt and a reschedule can hold the new slot before it
 * lets go of the old one. Holds that may exist but must not (after a
 * cancellation, a failed attempt, a reschedule) are listed in `releases`
 * until they are released; a sweeper finishes what a crash left undone.
 */
export type AppointmentState = 'reserving' | 'booked' | 'cancelled' | 'failed';

/** A hold on capacity: the capacity document, the hold's key there, and the slots it occupies. */
export interface HoldRef {
  dayId: string;
  key: string;
  slotKeys: string[];
}

export interface BookingRequest {
  clientId: string;
  idempotencyKey: string;
  /** Hash of the request's content: the same key with other content is refused. */
  fingerprint: string;
}

export interface AppointmentData {
  id: string;
  bookingCode: string;
  personId: string;
  /** Person id the events are keyed by: the move's applicant, else the person booked. */
  subjectId: string;
  serviceId: string;
  /** '' for stand-alone bookings. */
  moveId: string;
  /** ISO 639-1; '' for none. */
  interpreterLanguage: string;
  /** '' for services without invitation. */
  invitationCode: string;
  state: AppointmentState;
  /** Attempt / slot revision: 1 for the first booking, +1 for each retry or reschedule. */
  rev: number;
  slot: SlotRef;
  /** A reschedule whose new slot is being held. */
  pending: { rev: number; slot: SlotRef } | null;
  releases: HoldRef[];
  cancelReason: CancelReason | null;
  failure: string | null;
  /** Origin of the booking: the bundle it belongs to and what caused it. */
  origin: EventOrigin;
  request: BookingRequest | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewAppointment {
  id: string;
  bookingCode: string;
  personId: string;
  subjectId: string;
  serviceId: string;
  moveId: string;
  interpreterLanguage: string;
  invitationCode: string;
  slot: SlotRef;
  origin: EventOrigin;
  request: BookingRequest | null;
}

export function holdKey(appointmentId: string, rev: number): string {
  return `${appointmentId}~${rev}`;
}

export function holdOf(appointmentId: string, rev: number, slot: SlotRef): HoldRef {
  return { dayId: dayIdOf(slot), key: holdKey(appointmentId, rev), slotKeys: [...slot.slotKeys] };
}

export class Appointment {
  private constructor(private data: AppointmentData) {}

  static reserve(input: NewAppointment, now: Date): Appointment {
    return new Appointment({
      ...input,
      state: 'reserving',
      rev: 1,
      pending: null,
      releases: [],
      cancelReason: null,
      failure: null,
      createdAt: now,
      updatedAt: now,
    });
  }

  static from(data: AppointmentData): Appointment {
    return new Appointment(structuredClone(data));
  }

  get snapshot(): Readonly<AppointmentData> {
    return this.data;
  }

  get id(): string {
    return this.data.id;
  }

  get state(): AppointmentState {
    return this.data.state;
  }

  /** Booked or about to be: its claims on a move or an invitation still count. */
  get isLive(): boolean {
    return this.data.state === 'reserving' || this.data.state === 'booked';
  }

  /** The hold of the current slot. */
  get hold(): HoldRef {
    return holdOf(this.data.id, this.data.rev, this.data.slot);
  }

  get pendingHold(): HoldRef | undefined {
    const { pending } = this.data;
    return pending ? holdOf(this.data.id, pending.rev, pending.slot) : undefined;
  }

  /**
   * A booking for a move belongs to the move's bundle: its events carry the
   * move's correlation id and are keyed by the applicant. Returns whether it changed.
   */
  attachToMove(applicantId: string, correlationId: string, now: Date): boolean {
    this.require('reserving', 'attach');
    if (this.data.subjectId === applicantId && this.data.origin.correlationId === correlationId) return false;
    this.update(now, { subjectId: applicantId, origin: { ...this.data.origin, correlationId } });
    return true;
  }

  /** The capacity was held: the appointment is booked. */
  confirm(now: Date): RaisedEvent {
    this.require('reserving', 'confirm');
    const { slot } = this.data;
    this.update(now, { state: 'booked' });
    return this.raise({
      type: 'AppointmentBooked',
      appointmentId: this.data.id,
      personId: this.data.personId,
      serviceId: this.data.serviceId,
      locationId: slot.locationId,
      start: slot.start,
      end: slot.end,
      moveId: this.data.moveId,
    });
  }

  /** The slot was full (or the attempt went stale): nothing is booked. */
  fail(reason: string, now: Date): void {
    this.require('reserving', 'fail');
    this.update(now, { state: 'failed', failure: reason, releases: [...this.data.releases, this.hold] });
  }

  /** A failed attempt is tried again, possibly at another slot, under a new hold key. */
  retry(slot: SlotRef, now: Date): void {
    this.require('failed', 'retry');
    this.update(now, { state: 'reserving', rev: this.data.rev + 1, slot, failure: null });
  }

  /**
   * Cancels. A citizen cannot cancel an appointment that has begun; a
   * compensation (the move was revoked) leaves a past appointment alone.
   * Cancelling twice changes nothing and raises nothing.
   */
  cancel(reason: CancelReason, now: Date, cause: EventOrigin): RaisedEvent[] {
    const { state } = this.data;
    if (state === 'cancelled' || state === 'failed') return [];
    if (state === 'reserving') {
      this.update(now, { state: 'cancelled', cancelReason: reason, releases: [...this.data.releases, this.hold] });
      return [];
    }
    if (this.data.slot.start.getTime() <= now.getTime()) {
      if (reason === 'citizen') {
        throw new DomainError('appointment-in-past', 'the appointment has already begun');
      }
      return [];
    }
    const pendingHold = this.pendingHold;
    this.update(now, {
      state: 'cancelled',
      cancelReason: reason,
      pending: null,
      releases: [...this.data.releases, this.hold, ...(pendingHold ? [pendingHold] : [])],
    });
    return [
      this.raise(
        {
          type: 'AppointmentCancelled',
          appointmentId: this.data.id,
          personId: this.data.personId,
          moveId: this.data.moveId,
          reason,
        },
        cause,
      ),
    ];
  }

  /** Starts moving the appointment to another slot; the new slot's capacity is held next. */
  beginReschedule(slot: SlotRef, now: Date): void {
    if (this.data.state === 'cancelled') {
      throw new DomainError('appointment-cancelled', 'the appointment is cancelled');
    }
    this.require('booked', 'reschedule');
    if (this.data.slot.start.getTime() <= now.getTime()) {
      throw new DomainError('appointment-in-past', 'the appointment has already begun');
    }
    if (this.data.pending) {
      throw new DomainError('reschedule-in-progress', 'the appointment is being rescheduled; try again');
    }
    this.update(now, { pending: { rev: this.data.rev + 1, slot } });
  }

  /** The new slot is held: the appointment moves there and lets go of the old one. */
  completeReschedule(now: Date, cause: EventOrigin): RaisedEvent {
    const { pending } = this.data;
    if (this.data.state !== 'booked' || !pending) {
      throw new DomainError('concurrent-modification', 'no reschedule in progress');
    }
    this.update(now, {
      slot: pending.slot,
      rev: pending.rev,
      pending: null,
      releases: [...this.data.releases, this.hold],
    });
    return this.raise(
      {
        type: 'AppointmentRescheduled',
        appointmentId: this.data.id,
        personId: this.data.personId,
        moveId: this.data.moveId,
        locationId: pending.slot.locationId,
        start: pending.slot.start,
        end: pending.slot.end,
      },
      cause,
    );
  }

  /** The new slot was full (or the reschedule went stale): the appointment stays where it was. */
  abortReschedule(now: Date): void {
    const pendingHold = this.pendingHold;
    if (!pendingHold) return;
    this.update(now, { pending: null, releases: [...this.data.releases, pendingHold] });
  }

  /** These holds were released. */
  released(keys: readonly string[], now: Date): void {
    this.update(now, { releases: this.data.releases.filter((r) => !keys.includes(r.key)) });
  }

  private raise(event: RaisedEvent['event'], origin: EventOrigin = this.data.origin): RaisedEvent {
    return { event, subject: this.data.subjectId, origin };
  }

  private require(state: AppointmentState, action: string): void {
    if (this.data.state !== state) {
      throw new DomainError('concurrent-modification', `cannot ${action} an appointment that is ${this.data.state}`);
    }
  }

  private update(now: Date, changes: Partial<AppointmentData>): void {
    this.data = { ...this.data, ...changes, updatedAt: now };
  }
}
