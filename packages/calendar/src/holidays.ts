/**
 * Public holidays of the Free State of Saxony (Gesetz über Sonn- und
 * Feiertage im Freistaat Sachsen, SächsSFG §1), which bind the city's offices
 * in Leipzig: the registration office counts its deadlines around them, the
 * citizen offices and the Bürgerkoffer are closed on them.
 *
 * Not included: Fronleichnam (Corpus Christi) is a holiday only in certain
 * Catholic Sorbian municipalities of the Upper Lusatia (SächsSFG §1 with the
 * Fronleichnam ordinance), not in Leipzig. 24 and 31 December are not
 * public holidays, so they count as working days even if offices close early
 * (a closure of the city, not a holiday). Sundays are closed anyway.
 */

/**
 * A date of the civil calendar, "YYYY-MM-DD": a day in Leipzig, not an
 * instant (a Date would shift it by the UTC offset).
 */
export type CalendarDate = string;

export interface Holiday {
  readonly date: CalendarDate;
  readonly name: string;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01; throws a RangeError for anything but a real date (2025-02-29 is not). */
function dayNumber(date: CalendarDate): number {
  const match = DATE_PATTERN.exec(date);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  // Not Date.UTC: it reads the years 0–99 as 1900–1999.
  const utc = new Date(0).setUTCFullYear(year, month - 1, day);
  // Date.UTC rolls 30 February over into March: a real date survives the round trip.
  if (!match || month < 1 || month > 12 || day < 1 || fromDayNumber(utc / MS_PER_DAY) !== date) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  return utc / MS_PER_DAY;
}

function fromDayNumber(day: number): CalendarDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

function calendarDate(year: number, month: number, day: number): CalendarDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromDayNumber(dayNumber(date) + days);
}

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
  // 1970-01-01 was a Thursday: day number 0 is weekday 4 (0 = Sunday … 6 = Saturday).
  const weekday = (((dayNumber(november22) + 4) % 7) + 7) % 7;
  const back = (weekday - 3 + 7) % 7;
  return addDays(november22, -back);
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
  // YYYY-MM-DD strings sort chronologically.
  return list.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

// Looked up for every day of every slot search: computed once per year.
const byYear = new Map<number, ReadonlyMap<CalendarDate, string>>();

/** The name of the Saxon public holiday on `date`, or undefined. Throws a RangeError for a non-date. */
export function saxonyHoliday(date: CalendarDate): string | undefined {
  dayNumber(date);
  const year = Number(date.slice(0, 4));
  let names = byYear.get(year);
  if (!names) {
    names = new Map(saxonyHolidays(year).map((h) => [h.date, h.name]));
    byYear.set(year, names);
  }
  return names.get(date);
}

/** Whether `date` is a Saxon public holiday. Throws a RangeError for a non-date. */
export function isSaxonyHoliday(date: CalendarDate): boolean {
  return saxonyHoliday(date) !== undefined;
}
