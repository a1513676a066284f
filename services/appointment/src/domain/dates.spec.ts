import { addDays, datesBetween, daysBetween, formatTimeOfDay, isIsoDate, parseTimeOfDay, weekdayOf } from './dates.js';

describe('civil dates', () => {
  it('accepts real calendar dates only', () => {
    expect(isIsoDate('2026-11-23')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2100-02-29')).toBe(false);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-04-31')).toBe(false);
    expect(isIsoDate('2026-4-1')).toBe(false);
    expect(isIsoDate('')).toBe(false);
  });

  it('counts days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(daysBetween('2026-01-07', '2026-11-25')).toBe(322);
    expect(datesBetween('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
  });

  it('knows the ISO weekday', () => {
    expect(weekdayOf('2026-11-23')).toBe(1); // Monday
    expect(weekdayOf('2026-11-25')).toBe(3); // Wednesday
    expect(weekdayOf('2026-11-29')).toBe(7); // Sunday
    expect(weekdayOf('1969-12-31')).toBe(3); // before the epoch
  });

  it('takes the years 0001–0099 as they are, not as 1901–1999', () => {
    expect(addDays('0008-02-28', 1)).toBe('0008-02-29'); // year 8 is a leap year, 1908 too; 0100 is not
    expect(isIsoDate('0100-02-29')).toBe(false);
    expect(daysBetween('0008-01-01', '0009-01-01')).toBe(366);
    expect(weekdayOf('0008-02-27')).toBe(3); // 1908-02-27 was a Thursday
  });

  it('converts times of day', () => {
    expect(parseTimeOfDay('08:00')).toBe(480);
    expect(parseTimeOfDay('23:59')).toBe(1439);
    expect(() => parseTimeOfDay('24:00')).toThrow(RangeError);
    expect(() => parseTimeOfDay('8:00')).toThrow(RangeError);
    expect(formatTimeOfDay(555)).toBe('09:15');
  });
});
