import { dayNumber, fromDayNumber, type IsoDate } from './dates.js';

/**
 * Local time in Europe/Berlin, computed from the EU summer-time rule
 * (Directive 2000/84/EC: summer time from the last Sunday of March, 01:00 UTC,
 * to the last Sunday of October, 01:00 UTC; CET = UTC+1, CEST = UTC+2).
 * Written out rather than taken from Intl so that slot derivation is pure
 * arithmetic and does not depend on the ICU data a Node build ships; the spec
 * checks it against Intl for every hour of several years.
 */

const MINUTE_MS = 60_000;

function lastSundayDay(year: number, month: number): number {
  const lastOfMonth = Date.UTC(year, month, 0) / 86_400_000;
  const weekday = (((lastOfMonth + 4) % 7) + 7) % 7; // 0 = Sunday
  return lastOfMonth - weekday;
}

/** The instants summer time starts and ends in a year (both 01:00 UTC). */
export function summerTime(year: number): { start: number; end: number } {
  return {
    start: lastSundayDay(year, 3) * 86_400_000 + 3_600_000,
    end: lastSundayDay(year, 10) * 86_400_000 + 3_600_000,
  };
}

/** Offset of Berlin local time from UTC at an instant, in minutes (60 or 120). */
export function berlinOffsetMinutes(instant: Date): number {
  const ms = instant.getTime();
  const { start, end } = summerTime(new Date(ms).getUTCFullYear());
  return ms >= start && ms < end ? 120 : 60;
}

/** The local date and minute of the day in Berlin at an instant. */
export function berlinLocal(instant: Date): { date: IsoDate; minuteOfDay: number } {
  const localMs = instant.getTime() + berlinOffsetMinutes(instant) * MINUTE_MS;
  const day = Math.floor(localMs / 86_400_000);
  return { date: fromDayNumber(day), minuteOfDay: Math.floor((localMs - day * 86_400_000) / MINUTE_MS) };
}

/** Today's date in Berlin. */
export function berlinToday(now: Date): IsoDate {
  return berlinLocal(now).date;
}

/**
 * The instant of a local Berlin wall-clock time. A time in the spring gap
 * (02:00–02:59 on the last Sunday of March) does not exist and maps to the
 * instant one hour later on the wall clock; a time in the autumn overlap
 * maps to its first (summer-time) occurrence.
 */
export function berlinInstant(date: IsoDate, minuteOfDay: number): Date {
  const wallMs = (dayNumber(date) * 1440 + minuteOfDay) * MINUTE_MS;
  for (const offset of [120, 60]) {
    const candidate = new Date(wallMs - offset * MINUTE_MS);
    if (berlinOffsetMinutes(candidate) === offset) return candidate;
  }
  return new Date(wallMs - 60 * MINUTE_MS);
}
