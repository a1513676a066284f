import type { Appointment } from '../domain/authorities.js';
import { getAppointment } from './get-appointment.js';
import type { AppointmentAuthority, CallOptions } from './ports.js';

/** Cancels one of the citizen's appointments; cancelling a cancelled one answers it as it is. */
export async function cancelAppointment(
  deps: { readonly appointments: AppointmentAuthority },
  command: { readonly appointmentId: string; readonly personId: string; readonly reason?: string },
  options: CallOptions = {},
): Promise<Appointment> {
  const appointment = await getAppointment(deps, command, options);
  if (appointment.status === 'cancelled') return appointment;
  return deps.appointments.cancel(
    { appointmentId: command.appointmentId, personId: command.personId, reason: command.reason || 'citizen' },
    options,
  );
}
