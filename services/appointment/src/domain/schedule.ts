import { saxonyHoliday } from '@buergerservice/calendar';
import type { CapacityPool, Closure, Location, OpeningRule } from './catalogue.js';
import {
  addDays,
  daysBetween,
  formatTimeOfDay,
  type IsoDate,
  parseTimeOfDay,
  WEEKDAY_ABBREVIATIONS_DE,
  type Weekday,
  weekdayOf,
} from './dates.js';

/** One slot of a pool on one day: its key in the capacity document, its start, and its counters. */
export interface DaySlot {
  key: string;
  minute: number;
  counters: number;
}

/** The key of a slot starting at `minute` ("t0915"): a field name, never a number (dot paths). */
export function slotKey(minute: number): string {
  return `t${formatTimeOfDay(minute).replace(':', '')}`;
}

/** Why a location is closed on a date (holiday or closure), or undefined if it is not closed. */
export function closedBecause(location: Location, date: IsoDate, cityClosures: readonly Closure[]): string | undefined {
  const holiday = saxonyHoliday(date);
  if (holiday) return holiday;
  const closure = [...cityClosures, ...location.closures].find((c) => c.from <= date && date <= c.to);
  return closure?.reason;
}

/** Whether an opening rule applies on a date (weekday, validity, rotation); holidays and closures aside. */
export function ruleAppliesOn(rule: OpeningRule, date: IsoDate): boolean {
  if (!rule.weekdays.includes(weekdayOf(date))) return false;
  if (rule.validFrom !== undefined && date < rule.validFrom) return false;
  if (rule.validUntil !== undefined && date > rule.validUntil) return false;
  const every = rule.everyWeeks ?? 1;
  if (every === 1) return true;
  if (rule.anchorDate === undefined) return false;
  const weeks = Math.floor(daysBetween(rule.anchorDate, date) / 7);
  // Modulo of a negative week count: dates before the anchor follow the same rhythm.
  return ((weeks % every) + every) % every === 0;
}

/**
 * The slots of a pool on a date, earliest first. Overlapping rules add their
 * counters (two counter groups open at the same time). Empty on holidays and
 * closures.
 */
export function poolSlotsOn(
  location: Location,
  pool: CapacityPool,
  date: IsoDate,
  cityClosures: readonly Closure[],
): DaySlot[] {
  if (closedBecause(location, date, cityClosures) !== undefined) return [];
  const counters = new Map<number, number>();
  for (const rule of pool.rules) {
    if (!ruleAppliesOn(rule, date)) continue;
    const to = parseTimeOfDay(rule.to);
    for (let minute = parseTimeOfDay(rule.from); minute + pool.slotMinutes <= to; minute += pool.slotMinutes) {
      counters.set(minute, (counters.get(minute) ?? 0) + rule.counters);
    }
  }
  return [...counters.entries()]
    .sort(([a], [b]) => a - b)
    .map(([minute, count]) => ({ key: slotKey(minute), minute, counters: count }));
}

/** Whether any pool of the location is open on a date. */
export function isOpenOn(location: Location, date: IsoDate, cityClosures: readonly Closure[]): boolean {
  return location.pools.some((pool) => poolSlotsOn(location, pool, date, cityClosures).length > 0);
}

/** The next dates (from `from`, up to `until`, both inclusive) the location is open; at most `max`. */
export function nextOpenDates(
  location: Location,
  from: IsoDate,
  until: IsoDate,
  cityClosures: readonly Closure[],
  max: number,
): IsoDate[] {
  const dates: IsoDate[] = [];
  for (let date = from; date <= until && dates.length < max; date = addDays(date, 1)) {
    if (isOpenOn(location, date, cityClosures)) dates.push(date);
  }
  return dates;
}

/**
 * Opening hours in words, German, for the portal: "Mo, Mi, Fr 8–12 Uhr;
 * Di, Do 9–12, 13–18 Uhr" or, for a rotation, "Mi 10–18 Uhr (alle 2 Wochen)".
 * Rules no longer valid on `today` are left out.
 */
export function openingHoursText(location: Location, today: IsoDate): string {
  // Spans per (weekday, rhythm), then weekdays with identical spans and rhythm are listed together.
  const spansByDay = new Map<string, { day: Weekday; suffix: string; spans: Set<string> }>();
  for (const pool of location.pools) {
    for (const rule of pool.rules) {
      if (rule.validUntil !== undefined && rule.validUntil < today) continue;
      const every = rule.everyWeeks ?? 1;
      const suffix = [
        every > 1 ? `alle ${every} Wochen` : '',
        rule.validFrom !== undefined && rule.validFrom > today ? `ab ${germanDate(rule.validFrom)}` : '',
      ]
        .filter((s) => s !== '')
        .join(', ');
      for (const day of rule.weekdays) {
        const key = `${day}|${suffix}`;
        const entry = spansByDay.get(key) ?? { day, suffix, spans: new Set<string>() };
        entry.spans.add(`${hour(rule.from)}–${hour(rule.to)}`);
        spansByDay.set(key, entry);
      }
    }
  }
  const daysByLabel = new Map<string, Weekday[]>();
  for (const { day, suffix, spans } of spansByDay.values()) {
    const sorted = [...spans].sort((a, b) => a.localeCompare(b, 'de', { numeric: true }));
    const label = `${sorted.join(', ')} Uhr${suffix ? ` (${suffix})` : ''}`;
    daysByLabel.set(label, [...(daysByLabel.get(label) ?? []), day]);
  }
  return [...daysByLabel.entries()]
    .map(([label, days]) => ({ days: [...new Set(days)].sort((a, b) => a - b), label }))
    .sort((a, b) => (a.days[0] ?? 0) - (b.days[0] ?? 0) || a.label.localeCompare(b.label))
    .map(({ days, label }) => `${days.map((d) => WEEKDAY_ABBREVIATIONS_DE[d]).join(', ')} ${label}`)
    .join('; ');
}

function hour(time: string): string {
  const minutes = parseTimeOfDay(time);
  const h = String(Math.floor(minutes / 60));
  return minutes % 60 === 0 ? h : `${h}:${String(minutes % 60).padStart(2, '0')}`;
}

function germanDate(date: IsoDate): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}
