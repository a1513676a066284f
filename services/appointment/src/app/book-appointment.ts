import { Appointment, type AppointmentData } from '../domain/appointment.js';
import type { CatalogueIndex } from '../domain/catalogue.js';
import { bookingCode } from '../domain/codes.js';
import { DomainError } from '../domain/errors.js';
import { capacityDayId, freeSeats } from '../domain/slots.js';
import type { EventOrigin } from '../domain/events.js';
import { checkInterpreter, requireBookableSlot, requireLocationFor, requireService } from './checks.js';
import { derivedId, fingerprint } from './ids.js';
import type { AppDeps } from './ports.js';
import { claimInvitation, claimMove, failAttempt, MAX_CONFLICT_RETRIES, reserveAndConfirm } from './saga.js';

export interface BookAppointmentCommand {
  /** The calling client: idempotency keys are scoped to it. */
  clientId: string;
  idempotencyKey: string;
  personId: string;
  serviceId: string;
  locationId: string;
  start: Date;
  interpreterLanguage: string;
  invitationCode: string;
  moveId: string;
  /** Correlation and causation from the caller (metadata), where it sent them. */
  origin: Partial<EventOrigin>;
}

/**
 * Books one appointment: the same idempotency key returns the same booking;
 * the slot's capacity (all its consecutive slots) is taken atomically or not
 * at all; invitation-only services need the person's own, unused invitation;
 * a booking for a move counts as that person's appointment for the move.
 */
export async function bookAppointment(deps: AppDeps, command: BookAppointmentCommand): Promise<AppointmentData> {
  const catalogue = await deps.catalogue.current();
  const service = requireService(catalogue, command.serviceId);
  const location = requireLocationFor(catalogue, service, command.locationId);
  checkInterpreter(deps, service, command.interpreterLanguage);
  if (service.invitationOnly && command.invitationCode === '') {
    throw new DomainError('invitation-required', 'this service is booked by invitation only', 'invitation_code');
  }
  if (!service.invitationOnly && command.invitationCode !== '') {
    throw new DomainError('invitation-not-needed', 'this service is booked without invitation', 'invitation_code');
  }
  const slot = requireBookableSlot(deps, catalogue, location, service, command.start);

  const id = derivedId('booking', command.clientId, command.idempotencyKey);
  const request = {
    clientId: command.clientId,
    idempotencyKey: command.idempotencyKey,
    fingerprint: fingerprint([
      command.personId,
      command.serviceId,
      command.locationId,
      command.start.toISOString(),
      command.interpreterLanguage,
      command.invitationCode,
      command.moveId,
    ]),
  };

  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
    const existing = await deps.appointments.get(id);
    if (existing) {
      if (existing.data.request?.fingerprint !== request.fingerprint) {
        throw new DomainError(
          'idempotency-key-reused',
          'the idempotency key was used for a different booking',
          'idempotency_key',
        );
      }
      return continueBooking(deps, catalogue, existing.data, existing.version);
    }
    // Refuse at once what is visibly full (the seat inserts stay the arbiter; this only spares the writes).
    const taken = await deps.capacity.taken([capacityDayId(slot.locationId, slot.groupId, slot.date)]);
    if (freeSeats(slot, taken.get(capacityDayId(slot.locationId, slot.groupId, slot.date))) === 0) {
      throw new DomainError('slot-full', 'the slot is fully booked', 'start');
    }
    const appointment = Appointment.reserve(
      {
        id,
        bookingCode: bookingCode(deps.random),
        personId: command.personId,
        subjectId: command.personId,
        serviceId: service.id,
        moveId: command.moveId,
        interpreterLanguage: command.interpreterLanguage,
        invitationCode: command.invitationCode,
        slot: {
          locationId: slot.locationId,
          groupId: slot.groupId,
          date: slot.date,
          startMinute: slot.startMinute,
          slotKeys: slot.slotKeys,
          start: slot.start,
          end: slot.end,
        },
        origin: {
          correlationId: command.origin.correlationId || id,
          causationId: command.origin.causationId || id,
        },
        request,
      },
      deps.clock.now(),
    );
    if ((await deps.appointments.insert(appointment.snapshot, [])) === 'duplicate') continue;
    return continueBooking(deps, catalogue, appointment.snapshot, 0);
  }
  throw new DomainError('booking-in-progress', 'the booking is being made; try again');
}

/** Takes a booking from wherever it stands to booked (or refused): claims, capacity, confirmation. */
async function continueBooking(
  deps: AppDeps,
  catalogue: CatalogueIndex,
  data: AppointmentData,
  version: number,
): Promise<AppointmentData> {
  if (data.state === 'booked' || data.state === 'cancelled') return data;
  if (data.state === 'failed') {
    // The same request again after a refusal: try once more, under a new hold key.
    const appointment = Appointment.from(data);
    appointment.retry(data.slot, deps.clock.now());
    if (!(await deps.appointments.update(appointment.snapshot, version, []))) {
      throw new DomainError('booking-in-progress', 'the booking is being made; try again');
    }
  }
  try {
    if (data.moveId !== '') {
      const move = await claimMove(deps, {
        moveId: data.moveId,
        personId: data.personId,
        serviceId: data.serviceId,
        appointmentId: data.id,
      });
      await adoptMoveOrigin(deps, data.id, move.snapshot.applicantId, move.snapshot.origin);
    }
    if (data.invitationCode !== '') {
      await claimInvitation(deps, {
        code: data.invitationCode,
        personId: data.personId,
        serviceId: data.serviceId,
        date: data.slot.date,
        appointmentId: data.id,
      });
    }
  } catch (error) {
    if (error instanceof DomainError) await failAttempt(deps, data.id, error.code);
    throw error;
  }
  const result = await reserveAndConfirm(deps, catalogue, data.id);
  if (result.state === 'failed') throw new DomainError('slot-full', 'the slot is fully booked', 'start');
  if (result.state === 'cancelled') throw new DomainError('move-revoked', 'the move was revoked', 'move_id');
  return result.snapshot;
}

/** Gives a booking for a move the move's correlation id and the applicant as its event key. */
async function adoptMoveOrigin(
  deps: AppDeps,
  id: string,
  applicantId: string,
  moveOrigin: EventOrigin | null,
): Promise<void> {
  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
    const stored = await deps.appointments.get(id);
    if (stored?.data.state !== 'reserving') return;
    const appointment = Appointment.from(stored.data);
    const correlationId = moveOrigin?.correlationId ?? stored.data.origin.correlationId;
    if (!appointment.attachToMove(applicantId, correlationId, deps.clock.now())) return;
    if (await deps.appointments.update(appointment.snapshot, stored.version, [])) return;
  }
}
