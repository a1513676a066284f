import type { Slot } from '../domain/authorities.js';
import type { AppointmentAuthority, CallOptions } from './ports.js';

export interface ListSlotsQuery {
  readonly serviceId: string;
  readonly locationId?: string;
  readonly district?: string;
  readonly from?: string;
  readonly to?: string;
  readonly limit?: number;
}

/** Free slots of a service. */
export async function listSlots(
  deps: { readonly appointments: AppointmentAuthority },
  query: ListSlotsQuery,
  options: CallOptions = {},
): Promise<Slot[]> {
  return deps.appointments.listFreeSlots(
    {
      serviceId: query.serviceId,
      locationId: query.locationId ?? '',
      district: query.district ?? '',
      fromDate: query.from ?? '',
      toDate: query.to ?? '',
      limit: query.limit ?? 0,
    },
    options,
  );
}
