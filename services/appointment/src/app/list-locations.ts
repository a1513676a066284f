import type { Location } from '../domain/catalogue.js';
import { openingHoursText, nextOpenDates } from '../domain/schedule.js';
import { openWindow } from '../domain/slots.js';
import type { AppDeps } from './ports.js';

export interface LocationView {
  location: Location;
  /** For mobile stops: the next dates the Bürgerkoffer is there, within the booking horizon. */
  nextDates: string[];
  openingHours: string;
}

/** How many upcoming visit dates a mobile stop lists. */
export const NEXT_DATES = 6;

/** Locations (those offering a service, if one is given), with opening hours and a mobile stop's next dates. */
export async function listLocations(deps: AppDeps, query: { serviceId: string }): Promise<LocationView[]> {
  const catalogue = await deps.catalogue.current();
  const { today, lastDate } = openWindow(deps.clock.now(), deps.settings.window);
  const service = query.serviceId === '' ? undefined : catalogue.service(query.serviceId);
  if (query.serviceId !== '' && !service) return [];
  const locations = service ? catalogue.locationsOffering(service) : catalogue.catalogue.locations;
  return locations.map((location) => ({
    location,
    nextDates:
      location.kind === 'mobile-stop'
        ? nextOpenDates(location, today, lastDate, catalogue.catalogue.cityClosures, NEXT_DATES)
        : [],
    openingHours: openingHoursText(location, today),
  }));
}
