/**
 * Dates of the civil calendar ("YYYY-MM-DD") and the instants that bound
 * them in Europe/Berlin, the time zone every deadline of the office runs in.
 *
 * Dates are strings, not Date objects, on purpose: a move-in date is a day in
 * Leipzig, not an instant, and a Date would shift it by the UTC offset.
 */

/** A date of the civil calendar, "YYYY-MM-DD". */
export type CalendarDate = string;

export const OFFICE_TIME_ZONE = 'Europe/Berlin';

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Whether `value` is a real date of the civil calendar in the form YYYY-MM-DD (2025-02-29 is not). */
export function isCalendarDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parts(date: CalendarDate): [number, number, number] {
  const match = DATE_PATTERN.exec(date);
  if (!match || !isCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** The date as a UTC-midnight day number, for arithmetic only. */
function toDayNumber(date: CalendarDate): number {
  const [year, month, day] = parts(date);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

function fromDayNumber(dayNumber: number): CalendarDate {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

export function calendarDate(year: number, month: number, day: number): CalendarDate {
  const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  return date;
}

export function yearOf(date: CalendarDate): number {
  return parts(date)[0];
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/**
 * Adds calendar months; a day that does not exist in the target month is
 * clamped to its last day (31 March minus one month is 28/29 February), as
 * §188(3) BGB does for periods ending in a shorter month.
 */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const [year, month, day] = parts(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  return calendarDate(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** Days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: CalendarDate): number {
  const [year, month, day] = parts(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** Lexicographic order of YYYY-MM-DD is chronological order. */
export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const berlinFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: OFFICE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function berlinWallClock(instant: Date): { date: CalendarDate; asUtcMs: number } {
  const fields: Record<string, number> = {};
  for (const part of berlinFormat.formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  return {
    date: calendarDate(year, month, day),
    asUtcMs: Date.UTC(year, month - 1, day, hour, minute, second) + instant.getUTCMilliseconds(),
  };
}

/** The day in Leipzig at an instant. */
export function berlinDate(instant: Date): CalendarDate {
  return berlinWallClock(instant).date;
}

/** Offset of Berlin's wall clock from UTC at an instant, in ms (+1 h in winter, +2 h in summer). */
function berlinOffsetMs(instant: Date): number {
  return berlinWallClock(instant).asUtcMs - instant.getTime();
}

/**
 * The first instant of a day in Berlin. Clocks change at 02:00/03:00, never
 * at midnight, so midnight always exists and is unambiguous.
 */
export function startOfBerlinDay(date: CalendarDate): Date {
  const midnightAsUtc = toDayNumber(date) * MS_PER_DAY;
  const guess = midnightAsUtc - berlinOffsetMs(new Date(midnightAsUtc));
  return new Date(midnightAsUtc - berlinOffsetMs(new Date(guess)));
}

/** The last millisecond of a day in Berlin. */
export function endOfBerlinDay(date: CalendarDate): Date {
  return new Date(startOfBerlinDay(addDays(date, 1)).getTime() - 1);
}
