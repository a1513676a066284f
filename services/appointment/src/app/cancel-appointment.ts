import { Appointment, type AppointmentData } from '../domain/appointment.js';
import { DomainError } from '../domain/errors.js';
import type { CancelReason, EventOrigin } from '../domain/events.js';
import { loadVisibleAppointment } from './get-appointment.js';
import type { AppDeps } from './ports.js';
import { MAX_CONFLICT_RETRIES, processReleases } from './saga.js';

export interface CancelAppointmentCommand {
  appointmentId: string;
  /** The person cancelling: must be the person booked. */
  personId: string;
  reason: Extract<CancelReason, 'citizen' | 'office'>;
  origin: Partial<EventOrigin>;
}

/** Cancels a booked appointment and frees its capacity. Cancelling again returns the cancelled appointment. */
export async function cancelAppointment(deps: AppDeps, command: CancelAppointmentCommand): Promise<AppointmentData> {
  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
    const stored = await loadVisibleAppointment(deps, command.appointmentId);
    if (stored.data.personId !== command.personId) {
      throw new DomainError('not-the-booked-person', 'only the person booked may cancel', 'person_id');
    }
    const appointment = Appointment.from(stored.data);
    const events = appointment.cancel(command.reason, deps.clock.now(), {
      correlationId: command.origin.correlationId || stored.data.origin.correlationId,
      causationId: command.origin.causationId || `cancel:${stored.data.id}`,
    });
    if (events.length === 0 && stored.data.releases.length === 0) return stored.data;
    if (events.length === 0 || (await deps.appointments.update(appointment.snapshot, stored.version, events))) {
      await processReleases(deps, command.appointmentId);
      return appointment.snapshot;
    }
  }
  throw new DomainError('concurrent-modification', 'the appointment changed concurrently too often; try again');
}
