import type { CatalogueIndex, Location, Service } from '../domain/catalogue.js';
import { addDays, earlierDate, type IsoDate, laterDate } from '../domain/dates.js';
import type { OfferedSlot } from '../domain/events.js';
import { capacityDayId, freeSeats, inWindow, openWindow, type ServiceSlot, serviceSlotsOn } from '../domain/slots.js';
import type { AppDeps } from './ports.js';

export interface FreeSlot extends ServiceSlot {
  free: number;
}

export interface SlotQuery {
  service: Service;
  /** In order of preference (e.g. nearest first): ties at the same start go to the earlier location. */
  locations: readonly Location[];
  fromDate: IsoDate;
  toDate: IsoDate;
  limit: number;
}

/** Days of free-capacity documents read per query; searching stops as soon as enough slots are found. */
const CHUNK_DAYS = 14;

/**
 * The earliest free start times of a service at some locations in a date
 * range, clipped to the booking window: derived from the schedules, minus
 * what the capacity documents say is taken.
 */
export async function searchFreeSlots(deps: AppDeps, catalogue: CatalogueIndex, query: SlotQuery): Promise<FreeSlot[]> {
  const open = openWindow(deps.clock.now(), deps.settings.window);
  const from = laterDate(query.fromDate, open.today);
  const to = earlierDate(query.toDate, open.lastDate);
  const closures = catalogue.catalogue.cityClosures;
  const found: FreeSlot[] = [];
  for (
    let chunkStart = from;
    chunkStart <= to && found.length < query.limit;
    chunkStart = addDays(chunkStart, CHUNK_DAYS)
  ) {
    const chunkEnd = earlierDate(addDays(chunkStart, CHUNK_DAYS - 1), to);
    const candidates: { slot: ServiceSlot; rank: number }[] = [];
    for (let date = chunkStart; date <= chunkEnd; date = addDays(date, 1)) {
      for (const [rank, location] of query.locations.entries()) {
        for (const slot of serviceSlotsOn(location, query.service, date, closures)) {
          if (inWindow(slot, open)) candidates.push({ slot, rank });
        }
      }
    }
    if (candidates.length === 0) continue;
    const dayIds = [...new Set(candidates.map(({ slot }) => capacityDayId(slot.locationId, slot.groupId, slot.date)))];
    const taken = await deps.capacity.taken(dayIds);
    candidates.sort((a, b) => a.slot.start.getTime() - b.slot.start.getTime() || a.rank - b.rank);
    for (const { slot } of candidates) {
      const seats = freeSeats(slot, taken.get(capacityDayId(slot.locationId, slot.groupId, slot.date)));
      if (seats > 0) found.push({ ...slot, free: seats });
      if (found.length >= query.limit) break;
    }
  }
  return found;
}

export function toOffered(slot: FreeSlot): OfferedSlot {
  return {
    locationId: slot.locationId,
    serviceId: slot.serviceId,
    start: slot.start,
    end: slot.end,
    freeCapacity: slot.free,
  };
}
