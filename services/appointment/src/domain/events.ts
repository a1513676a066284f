/**
 * The facts this service publishes, as domain values. events/codec.ts maps
 * them to the protobuf contracts (appointment.v1 events.proto) on the way
 * into the outbox.
 */

export interface OfferedSlot {
  locationId: string;
  serviceId: string;
  start: Date;
  end: Date;
  freeCapacity: number;
}

export type CancelReason = 'citizen' | 'move-revoked' | 'office';

export type DomainEvent =
  | {
      type: 'AppointmentBooked';
      appointmentId: string;
      personId: string;
      serviceId: string;
      locationId: string;
      start: Date;
      end: Date;
      moveId: string;
    }
  | { type: 'AppointmentOffered'; moveId: string; personId: string; serviceId: string; slots: OfferedSlot[] }
  | { type: 'AppointmentCancelled'; appointmentId: string; personId: string; moveId: string; reason: CancelReason }
  | {
      type: 'AppointmentRescheduled';
      appointmentId: string;
      personId: string;
      moveId: string;
      locationId: string;
      start: Date;
      end: Date;
    };

/** Where an event comes from: the citizen's bundle and the event or request that caused it. */
export interface EventOrigin {
  correlationId: string;
  causationId: string;
}

/** An event raised by a transition, with what the outbox needs besides its payload. */
export interface RaisedEvent {
  event: DomainEvent;
  /** Person id the event is keyed by (the applicant of a move, else the person booked). */
  subject: string;
  origin: EventOrigin;
}
