import { DomainError } from '../domain/errors.js';
import { appointmentCalendar } from '../domain/icalendar.js';
import { loadVisibleAppointment } from './get-appointment.js';
import type { AppDeps } from './ports.js';

/** The appointment as an iCalendar (RFC 5545) text. */
export async function getAppointmentCalendar(deps: AppDeps, query: { appointmentId: string }): Promise<string> {
  const { data } = await loadVisibleAppointment(deps, query.appointmentId);
  const catalogue = await deps.catalogue.current();
  const location = catalogue.location(data.slot.locationId);
  const service = catalogue.service(data.serviceId);
  if (!location || !service) {
    throw new DomainError('appointment-not-found', 'the appointment refers to a location or service no longer offered');
  }
  return appointmentCalendar({ appointment: data, service, location });
}
