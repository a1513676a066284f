import { isSaxonyHoliday } from '@buergerservice/calendar';
import { addDays, type CalendarDate, dayOfWeek } from './calendar.js';

/**
 * Two kinds of business day, as German law distinguishes them:
 *
 * - a working day (Arbeitstag): Monday to Friday, not a public holiday in
 *   Saxony — the days the office works; the revocation window is counted in them;
 * - a "Werktag": Monday to Saturday, not a public holiday — the unit of
 *   BMG §33 ("spätestens drei Werktage nach der Anmeldung").
 */

export function isWorkingDay(date: CalendarDate): boolean {
  const weekday = dayOfWeek(date);
  return weekday !== 0 && weekday !== 6 && !isSaxonyHoliday(date);
}

export function isWerktag(date: CalendarDate): boolean {
  return dayOfWeek(date) !== 0 && !isSaxonyHoliday(date);
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: CalendarDate): CalendarDate {
  return addBusinessDays(date, 1, isWorkingDay);
}

/** The `n`-th Werktag strictly after `date`. */
export function addWerktage(date: CalendarDate, n: number): CalendarDate {
  return addBusinessDays(date, n, isWerktag);
}

/** `date` itself if it is a working day, else the next one (BGB §193 for deadlines). */
export function sameOrNextWorkingDay(date: CalendarDate): CalendarDate {
  return isWorkingDay(date) ? date : nextWorkingDay(date);
}

function addBusinessDays(date: CalendarDate, n: number, counts: (d: CalendarDate) => boolean): CalendarDate {
  let current = date;
  let remaining = n;
  // Bounded: no run of non-business days in the calendar is longer than a few days.
  for (let guard = 0; remaining > 0 && guard < n * 7 + 14; guard++) {
    current = addDays(current, 1);
    if (counts(current)) remaining--;
  }
  return current;
}
