import type { Location } from '../domain/catalogue.js';
import { isIsoDate } from '../domain/dates.js';
import { DomainError } from '../domain/errors.js';
import { requireLocationFor, requireService } from './checks.js';
import type { AppDeps } from './ports.js';
import { type FreeSlot, searchFreeSlots } from './slot-search.js';

export interface ListFreeSlotsQuery {
  serviceId: string;
  /** '' = every location offering the service (in `district`, if given). */
  locationId: string;
  district: string;
  fromDate: string;
  toDate: string;
  limit: number;
}

/** Free start times of a service, earliest first, within the booking window. */
export async function listFreeSlots(deps: AppDeps, query: ListFreeSlotsQuery): Promise<FreeSlot[]> {
  const catalogue = await deps.catalogue.current();
  const service = requireService(catalogue, query.serviceId);
  if (!isIsoDate(query.fromDate) || !isIsoDate(query.toDate) || query.fromDate > query.toDate) {
    throw new DomainError('invalid-date-range', 'from_date must not be after to_date', 'to_date');
  }
  let locations: Location[];
  if (query.locationId !== '') {
    locations = [requireLocationFor(catalogue, service, query.locationId)];
  } else {
    locations = catalogue
      .locationsOffering(service)
      .filter((l) => query.district === '' || l.address.district === query.district);
  }
  return searchFreeSlots(deps, catalogue, {
    service,
    locations,
    fromDate: query.fromDate,
    toDate: query.toDate,
    limit: query.limit,
  });
}
