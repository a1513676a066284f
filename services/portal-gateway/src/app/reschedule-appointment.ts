import type { Appointment } from '../domain/authorities.js';
import { getAppointment } from './get-appointment.js';
import type { AppointmentAuthority, CallOptions } from './ports.js';

/** Moves one of the citizen's appointments to another start (and optionally another location). */
export async function rescheduleAppointment(
  deps: { readonly appointments: AppointmentAuthority },
  command: {
    readonly appointmentId: string;
    readonly personId: string;
    readonly start: Date;
    readonly locationId?: string;
  },
  options: CallOptions = {},
): Promise<Appointment> {
  await getAppointment(deps, command, options);
  return deps.appointments.reschedule(
    {
      appointmentId: command.appointmentId,
      personId: command.personId,
      newStart: command.start,
      newLocationId: command.locationId ?? '',
    },
    options,
  );
}
