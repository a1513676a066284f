import { addDays, type IsoDate, isoDate, weekdayOf } from './dates.js';

/**
 * Public holidays of the Free State of Saxony (Sächsisches Sonn- und
 * Feiertagsgesetz, SächsSFG §1). Fronleichnam is a holiday only in certain
 * Sorbian municipalities of the districts of Bautzen and Görlitz, not in
 * Leipzig, so it is not listed. Sundays are closed anyway.
 */
export interface PublicHoliday {
  date: IsoDate;
  name: string;
}

/** Easter Sunday of the Gregorian calendar (the anonymous "Meeus/Jones/Butcher" algorithm). */
export function easterSunday(year: number): IsoDate {
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
  return isoDate(year, month, day);
}

/** Buß- und Bettag: the last Wednesday before 23 November (so between 16 and 22 November). */
export function bussUndBettag(year: number): IsoDate {
  const nov22 = isoDate(year, 11, 22);
  const back = (weekdayOf(nov22) - 3 + 7) % 7;
  return addDays(nov22, -back);
}

export function saxonyPublicHolidays(year: number): PublicHoliday[] {
  const easter = easterSunday(year);
  const holidays: PublicHoliday[] = [
    { date: isoDate(year, 1, 1), name: 'Neujahr' },
    { date: addDays(easter, -2), name: 'Karfreitag' },
    { date: easter, name: 'Ostersonntag' },
    { date: addDays(easter, 1), name: 'Ostermontag' },
    { date: isoDate(year, 5, 1), name: 'Tag der Arbeit' },
    { date: addDays(easter, 39), name: 'Christi Himmelfahrt' },
    { date: addDays(easter, 49), name: 'Pfingstsonntag' },
    { date: addDays(easter, 50), name: 'Pfingstmontag' },
    { date: isoDate(year, 10, 3), name: 'Tag der Deutschen Einheit' },
    { date: isoDate(year, 10, 31), name: 'Reformationstag' },
    { date: bussUndBettag(year), name: 'Buß- und Bettag' },
    { date: isoDate(year, 12, 25), name: '1. Weihnachtstag' },
    { date: isoDate(year, 12, 26), name: '2. Weihnachtstag' },
  ];
  return holidays.sort((x, y) => x.date.localeCompare(y.date));
}

const cache = new Map<number, ReadonlyMap<IsoDate, string>>();

/** The name of the Saxon public holiday on `date`, or undefined. */
export function saxonyHoliday(date: IsoDate): string | undefined {
  const year = Number(date.slice(0, 4));
  let byDate = cache.get(year);
  if (!byDate) {
    byDate = new Map(saxonyPublicHolidays(year).map((h) => [h.date, h.name]));
    cache.set(year, byDate);
  }
  return byDate.get(date);
}
