import type { AppointmentData } from '../domain/appointment.js';
import { DomainError } from '../domain/errors.js';
import type { AppDeps, Versioned } from './ports.js';

/**
 * An appointment that exists for the outside world: booked or cancelled.
 * Attempts still reserving or refused are internal and read as not found.
 */
export async function loadVisibleAppointment(deps: AppDeps, id: string): Promise<Versioned<AppointmentData>> {
  const stored = await deps.appointments.get(id);
  if (!stored || (stored.data.state !== 'booked' && stored.data.state !== 'cancelled')) {
    throw new DomainError('appointment-not-found', 'appointment not found', 'appointment_id');
  }
  return stored;
}

export async function getAppointment(deps: AppDeps, query: { appointmentId: string }): Promise<AppointmentData> {
  return (await loadVisibleAppointment(deps, query.appointmentId)).data;
}
