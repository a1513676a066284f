import type { Location } from '../domain/authorities.js';
import type { AppointmentAuthority, CallOptions } from './ports.js';

/** Citizen offices and Bürgerkoffer stops, optionally only those offering a service. */
export async function listLocations(
  deps: { readonly appointments: AppointmentAuthority },
  query: { readonly serviceId?: string },
  options: CallOptions = {},
): Promise<Location[]> {
  return deps.appointments.listLocations(query.serviceId ?? '', options);
}
