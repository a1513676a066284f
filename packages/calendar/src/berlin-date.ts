import type { CalendarDate } from './holidays.js';

// One formatter per process: building an Intl.DateTimeFormat costs far more than using one.
const berlinDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in Leipzig (Europe/Berlin, the register's time zone) at an instant: "YYYY-MM-DD". */
export function berlinDate(now: Date): CalendarDate {
  return berlinDay.format(now);
}
