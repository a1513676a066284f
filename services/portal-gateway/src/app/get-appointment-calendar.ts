import { getAppointment } from './get-appointment.js';
import type { AppointmentAuthority, CallOptions } from './ports.js';

/** The citizen's appointment as an iCalendar object (after checking it is theirs). */
export async function getAppointmentCalendar(
  deps: { readonly appointments: AppointmentAuthority },
  query: { readonly appointmentId: string; readonly personId: string },
  options: CallOptions = {},
): Promise<{ ics: string; bookingCode: string }> {
  const appointment = await getAppointment(deps, query, options);
  const ics = await deps.appointments.calendar(query.appointmentId, options);
  return { ics, bookingCode: appointment.bookingCode };
}
