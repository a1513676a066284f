import { DomainError } from './errors.js';

/** The civil calendar of the issuing authority: dates on documents are Berlin dates. */
export const TIME_ZONE = 'Europe/Berlin';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const berlinParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Berlin calendar date ("YYYY-MM-DD") of an instant. */
export function berlinDate(instant: Date): string {
  // en-CA formats as YYYY-MM-DD; formatToParts keeps it independent of that detail.
  const parts = Object.fromEntries(berlinParts.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The Berlin calendar year of an instant (document numbers restart every year). */
export function berlinYear(instant: Date): number {
  return Number(berlinDate(instant).slice(0, 4));
}

/** Whether `value` is a real calendar date in "YYYY-MM-DD" form (no 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** "2026-03-01" -> "01.03.2026", the German way of writing a date on a document. */
export function germanDate(isoDate: string): string {
  if (!isCalendarDate(isoDate)) throw new DomainError('invalid-date', `not a calendar date: ${isoDate}`);
  const [year, month, day] = isoDate.split('-');
  return `${day}.${month}.${year}`;
}
