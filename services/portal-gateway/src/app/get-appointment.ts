import type { Appointment } from '../domain/authorities.js';
import { AppError, notFound } from './errors.js';
import type { AppointmentAuthority, CallOptions } from './ports.js';

/** One of the citizen's appointments; another person's appointment is "not found". */
export async function getAppointment(
  deps: { readonly appointments: AppointmentAuthority },
  query: { readonly appointmentId: string; readonly personId: string },
  options: CallOptions = {},
): Promise<Appointment> {
  let appointment: Appointment;
  try {
    appointment = await deps.appointments.get(query.appointmentId, options);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not-found') throw notFound('appointment');
    throw error;
  }
  if (appointment.personId !== query.personId) throw notFound('appointment');
  return appointment;
}
