import { berlinInstant, berlinLocal, berlinToday } from './berlin-time.js';
import { type Closure, type Location, poolFor, type Service } from './catalogue.js';
import { addDays, type IsoDate } from './dates.js';
import { type DaySlot, poolSlotsOn } from './schedule.js';

/**
 * Where and when one appointment takes place, and which capacity it needs:
 * `slotKeys` are the consecutive slots of the capacity pool (location,
 * group, date) it occupies — one for a service that fits a slot, more for a
 * longer one.
 */
export interface SlotRef {
  locationId: string;
  groupId: string;
  date: IsoDate;
  startMinute: number;
  slotKeys: string[];
  start: Date;
  end: Date;
}

/** A start time at which a service can take place, with the counters its slots have by schedule. */
export interface ServiceSlot extends SlotRef {
  serviceId: string;
  /** Counters by schedule: the smallest over the slots it needs. */
  counters: number;
  /** Counters by schedule of each slot it needs. */
  countersByKey: Record<string, number>;
}

/** The capacity document of a pool on a date: one document holds every slot counter of that day. */
export function capacityDayId(locationId: string, groupId: string, date: IsoDate): string {
  return `${locationId}/${groupId}/${date}`;
}

export function dayIdOf(slot: Pick<SlotRef, 'locationId' | 'groupId' | 'date'>): string {
  return capacityDayId(slot.locationId, slot.groupId, slot.date);
}

/** How many consecutive slots of the pool a service takes. */
export function slotsNeeded(service: Service, slotMinutes: number): number {
  return Math.max(1, Math.ceil(service.durationMinutes / slotMinutes));
}

/** A pool's slots of a day, for the service at the location (empty if it does not offer the service there). */
export function daySlotsFor(
  location: Location,
  service: Service,
  date: IsoDate,
  cityClosures: readonly Closure[],
): DaySlot[] {
  const pool = poolFor(location, service);
  return pool ? poolSlotsOn(location, pool, date, cityClosures) : [];
}

/**
 * The start times of a service at a location on a date. A service longer
 * than one slot starts only where all the slots it needs follow each other
 * without a gap (no appointment runs through a lunch break or past closing).
 */
export function serviceSlotsOn(
  location: Location,
  service: Service,
  date: IsoDate,
  cityClosures: readonly Closure[],
): ServiceSlot[] {
  const pool = poolFor(location, service);
  if (!pool || !service.locationIds.includes(location.id)) return [];
  const daySlots = poolSlotsOn(location, pool, date, cityClosures);
  const byMinute = new Map(daySlots.map((s) => [s.minute, s]));
  const needed = slotsNeeded(service, pool.slotMinutes);
  const out: ServiceSlot[] = [];
  for (const first of daySlots) {
    const run: DaySlot[] = [];
    for (let i = 0; i < needed; i++) {
      const next = byMinute.get(first.minute + i * pool.slotMinutes);
      if (!next) break;
      run.push(next);
    }
    if (run.length < needed) continue;
    out.push({
      serviceId: service.id,
      locationId: location.id,
      groupId: pool.groupId,
      date,
      startMinute: first.minute,
      slotKeys: run.map((s) => s.key),
      start: berlinInstant(date, first.minute),
      end: berlinInstant(date, first.minute + service.durationMinutes),
      counters: Math.min(...run.map((s) => s.counters)),
      countersByKey: Object.fromEntries(run.map((s) => [s.key, s.counters])),
    });
  }
  return out;
}

/** The service slot starting exactly at `start` at the location, or undefined if there is none. */
export function findServiceSlot(
  location: Location,
  service: Service,
  start: Date,
  cityClosures: readonly Closure[],
): ServiceSlot | undefined {
  const { date, minuteOfDay } = berlinLocal(start);
  return serviceSlotsOn(location, service, date, cityClosures).find(
    (s) => s.startMinute === minuteOfDay && s.start.getTime() === start.getTime(),
  );
}

/**
 * Free seats at a start: over the slots it needs, the smallest number of
 * counters not yet taken. Never negative (counters may have been reduced
 * after seats were taken).
 */
export function freeSeats(slot: ServiceSlot, taken: Readonly<Record<string, number>> | undefined): number {
  return Math.max(0, Math.min(...slot.slotKeys.map((key) => (slot.countersByKey[key] ?? 0) - (taken?.[key] ?? 0))));
}

/**
 * How far ahead and how soon appointments can be booked: not before
 * `minLeadMinutes` from now (the office needs to see the booking), not after
 * `horizonDays` days from today.
 */
export interface BookingWindow {
  horizonDays: number;
  minLeadMinutes: number;
}

export interface OpenWindow {
  today: IsoDate;
  earliestStart: Date;
  lastDate: IsoDate;
}

export function openWindow(now: Date, window: BookingWindow): OpenWindow {
  const today = berlinToday(now);
  return {
    today,
    earliestStart: new Date(now.getTime() + window.minLeadMinutes * 60_000),
    lastDate: addDays(today, window.horizonDays),
  };
}

export function inWindow(slot: Pick<SlotRef, 'start' | 'date'>, open: OpenWindow): boolean {
  return slot.start.getTime() >= open.earliestStart.getTime() && slot.date <= open.lastDate;
}
