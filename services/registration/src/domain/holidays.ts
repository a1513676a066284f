import { addDays, type CalendarDate, calendarDate, dayOfWeek, yearOf } from './calendar.js';

/**
 * Public holidays of the Free State of Saxony (Gesetz über Sonn- und
 * Feiertage im Freistaat Sachsen, SächsSFG §1), which bind the registration
 * office in Leipzig.
 *
 * Not included: Fronleichnam (Corpus Christi) is a holiday only in certain
 * Catholic Sorbian municipalities of the Upper Lusatia (SächsSFG §1 with the
 * Fronleichnam ordinance), not in Leipzig. 24 and 31 December are not
 * public holidays, so they count as working days even if offices close early.
 */

/** Easter Sunday (Gregorian calendar), by the anonymous Meeus/Jones/Butcher algorithm. */
export function easterSunday(year: number): CalendarDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return calendarDate(year, month, day);
}

/**
 * Buß- und Bettag: the Wednesday before the last Sunday of the church year,
 * i.e. the last Wednesday before 23 November (between 16 and 22 November).
 */
export function bussUndBettag(year: number): CalendarDate {
  const november22 = calendarDate(year, 11, 22);
  const back = (dayOfWeek(november22) - 3 + 7) % 7;
  return addDays(november22, -back);
}

export interface Holiday {
  readonly date: CalendarDate;
  readonly name: string;
}

/** The public holidays of Saxony in a year, in calendar order. */
export function saxonyHolidays(year: number): Holiday[] {
  const easter = easterSunday(year);
  const list: Holiday[] = [
    { date: calendarDate(year, 1, 1), name: 'Neujahr' },
    { date: addDays(easter, -2), name: 'Karfreitag' },
    { date: easter, name: 'Ostersonntag' },
    { date: addDays(easter, 1), name: 'Ostermontag' },
    { date: calendarDate(year, 5, 1), name: 'Tag der Arbeit' },
    { date: addDays(easter, 39), name: 'Christi Himmelfahrt' },
    { date: addDays(easter, 49), name: 'Pfingstsonntag' },
    { date: addDays(easter, 50), name: 'Pfingstmontag' },
    { date: calendarDate(year, 10, 3), name: 'Tag der Deutschen Einheit' },
    { date: calendarDate(year, 10, 31), name: 'Reformationstag' },
    { date: bussUndBettag(year), name: 'Buß- und Bettag' },
    { date: calendarDate(year, 12, 25), name: '1. Weihnachtstag' },
    { date: calendarDate(year, 12, 26), name: '2. Weihnachtstag' },
  ];
  return list.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

const cache = new Map<number, ReadonlySet<CalendarDate>>();

export function isSaxonyHoliday(date: CalendarDate): boolean {
  const year = yearOf(date);
  let dates = cache.get(year);
  if (!dates) {
    dates = new Set(saxonyHolidays(year).map((h) => h.date));
    cache.set(year, dates);
  }
  return dates.has(date);
}
