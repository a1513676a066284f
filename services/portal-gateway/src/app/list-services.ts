import type { OfferedService } from '../domain/authorities.js';
import type { AppointmentAuthority, CallOptions } from './ports.js';

/** Services a citizen can book themselves (invitation-only ones need a code and are listed too, marked). */
export async function listServices(
  deps: { readonly appointments: AppointmentAuthority },
  options: CallOptions = {},
): Promise<OfferedService[]> {
  return deps.appointments.listServices(options);
}
