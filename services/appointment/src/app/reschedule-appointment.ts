import { Appointment, type AppointmentData } from '../domain/appointment.js';
import { DomainError } from '../domain/errors.js';
import type { EventOrigin } from '../domain/events.js';
import { daySlotsFor } from '../domain/slots.js';
import { requireBookableSlot, requireLocationFor, requireService } from './checks.js';
import { loadVisibleAppointment } from './get-appointment.js';
import type { AppDeps } from './ports.js';
import { MAX_CONFLICT_RETRIES, processReleases } from './saga.js';

export interface RescheduleAppointmentCommand {
  appointmentId: string;
  personId: string;
  newStart: Date;
  /** '' = the same location. */
  newLocationId: string;
  origin: Partial<EventOrigin>;
}

/**
 * Moves an appointment to another start (and location): the new slot is
 * held before the old one is given back, so the citizen never ends up
 * without an appointment; if the new slot is full, nothing changes.
 */
export async function rescheduleAppointment(
  deps: AppDeps,
  command: RescheduleAppointmentCommand,
): Promise<AppointmentData> {
  const catalogue = await deps.catalogue.current();
  const current = await loadVisibleAppointment(deps, command.appointmentId);
  if (current.data.personId !== command.personId) {
    throw new DomainError('not-the-booked-person', 'only the person booked may reschedule', 'person_id');
  }
  const service = requireService(catalogue, current.data.serviceId);
  const locationId = command.newLocationId || current.data.slot.locationId;
  const location = requireLocationFor(catalogue, service, locationId, 'new_location_id');
  const slot = requireBookableSlot(deps, catalogue, location, service, command.newStart, 'new_start');
  if (current.data.state === 'booked' && !current.data.pending && sameSlot(current.data, slot)) return current.data;
  if (current.data.invitationCode !== '') {
    const invitation = (await deps.invitations.get(current.data.invitationCode))?.data;
    if (invitation && slot.date > invitation.validUntil) {
      throw new DomainError(
        'invitation-expired',
        `the invitation is valid for appointments until ${invitation.validUntil}`,
        'new_start',
      );
    }
  }
  const newSlot = {
    locationId: slot.locationId,
    groupId: slot.groupId,
    date: slot.date,
    startMinute: slot.startMinute,
    slotKeys: slot.slotKeys,
    start: slot.start,
    end: slot.end,
  };

  const begun = await update(deps, command.appointmentId, (appointment) => {
    appointment.beginReschedule(newSlot, deps.clock.now());
    return [];
  });
  const hold = begun.pendingHold;
  if (!hold) throw new DomainError('concurrent-modification', 'the reschedule was interrupted; try again');
  const daySlots = daySlotsFor(location, service, slot.date, catalogue.catalogue.cityClosures);
  if ((await deps.capacity.hold(daySlots, hold)) === 'full') {
    await update(deps, command.appointmentId, (appointment) => {
      appointment.abortReschedule(deps.clock.now());
      return [];
    });
    await processReleases(deps, command.appointmentId);
    throw new DomainError('slot-full', 'the new slot is fully booked', 'new_start');
  }
  let moved: Appointment;
  try {
    moved = await update(deps, command.appointmentId, (appointment) => {
      if (appointment.pendingHold?.key !== hold.key) {
        throw new DomainError('concurrent-modification', 'the appointment changed during the reschedule');
      }
      return [
        appointment.completeReschedule(deps.clock.now(), {
          correlationId: command.origin.correlationId || current.data.origin.correlationId,
          causationId: command.origin.causationId || `reschedule:${hold.key}`,
        }),
      ];
    });
  } catch (error) {
    // Cancelled (or given up) while the new slot was being held: that hold is ours to give back.
    await deps.capacity.release(hold);
    const after = await deps.appointments.get(command.appointmentId);
    if (after?.data.state === 'cancelled') {
      throw new DomainError('appointment-cancelled', 'the appointment was cancelled', 'appointment_id', {
        cause: error,
      });
    }
    throw error;
  }
  await processReleases(deps, command.appointmentId);
  return moved.snapshot;
}

function sameSlot(data: AppointmentData, slot: { locationId: string; start: Date }): boolean {
  return data.slot.locationId === slot.locationId && data.slot.start.getTime() === slot.start.getTime();
}

/** Applies a transition with optimistic concurrency, re-reading and re-applying it after a conflict. */
async function update(
  deps: AppDeps,
  id: string,
  transition: (appointment: Appointment) => Parameters<typeof deps.appointments.update>[2],
): Promise<Appointment> {
  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
    const stored = await loadVisibleAppointment(deps, id);
    const appointment = Appointment.from(stored.data);
    const events = transition(appointment);
    if (await deps.appointments.update(appointment.snapshot, stored.version, events)) return appointment;
  }
  throw new DomainError('concurrent-modification', 'the appointment changed concurrently too often; try again');
}
