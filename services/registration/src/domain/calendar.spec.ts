import {
  addDays,
  addMonths,
  berlinDate,
  calendarDate,
  compareDates,
  dayOfWeek,
  daysBetween,
  endOfBerlinDay,
  isCalendarDate,
  startOfBerlinDay,
} from './calendar.js';

describe('civil calendar dates', () => {
  it.each([
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['2025-02-28', true],
    ['2025-13-01', false],
    ['2025-00-10', false],
    ['2025-04-31', false],
    ['2025-4-01', false],
    ['20250401', false],
    ['', false],
    ['1900-02-29', false],
    ['2000-02-29', true],
  ])('%s is a calendar date: %s', (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });

  it('adds days across months, years and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2025-11-03', '2025-11-17')).toBe(14);
    expect(daysBetween('2025-11-17', '2025-11-03')).toBe(-14);
  });

  it('adds months, clamping to the end of shorter months', () => {
    expect(addMonths('2025-08-31', -6)).toBe('2025-02-28');
    expect(addMonths('2024-08-31', -6)).toBe('2024-02-29');
    expect(addMonths('2025-11-17', -6)).toBe('2025-05-17');
    expect(addMonths('2025-01-15', -1)).toBe('2024-12-15');
    expect(addMonths('2025-12-15', 1)).toBe('2026-01-15');
  });

  it('knows weekdays and orders dates', () => {
    expect(dayOfWeek('2025-11-17')).toBe(1);
    expect(dayOfWeek('2025-11-16')).toBe(0);
    expect(dayOfWeek('2025-11-22')).toBe(6);
    expect(compareDates('2025-11-17', '2025-11-18')).toBe(-1);
    expect(compareDates('2025-11-18', '2025-11-18')).toBe(0);
    expect(() => calendarDate(2025, 2, 30)).toThrow(RangeError);
  });
});

describe('Europe/Berlin', () => {
  it('takes the day in Leipzig, not in UTC', () => {
    // 23:30 UTC on Sunday is 00:30 on Monday in Berlin (CET, +1 h).
    expect(berlinDate(new Date('2025-11-16T23:30:00Z'))).toBe('2025-11-17');
    expect(berlinDate(new Date('2025-11-16T22:59:59Z'))).toBe('2025-11-16');
    // Summer time (CEST, +2 h).
    expect(berlinDate(new Date('2025-07-01T22:00:00Z'))).toBe('2025-07-02');
    expect(berlinDate(new Date('2025-07-01T21:59:59Z'))).toBe('2025-07-01');
  });

  it('bounds days in winter, in summer and on the days the clocks change', () => {
    expect(startOfBerlinDay('2025-11-17').toISOString()).toBe('2025-11-16T23:00:00.000Z');
    expect(endOfBerlinDay('2025-11-17').toISOString()).toBe('2025-11-17T22:59:59.999Z');
    expect(endOfBerlinDay('2025-07-01').toISOString()).toBe('2025-07-01T21:59:59.999Z');
    // 30 March 2025: clocks go forward at 02:00, the day has 23 hours.
    expect(startOfBerlinDay('2025-03-30').toISOString()).toBe('2025-03-29T23:00:00.000Z');
    expect(endOfBerlinDay('2025-03-30').toISOString()).toBe('2025-03-30T21:59:59.999Z');
    // 26 October 2025: clocks go back at 03:00, the day has 25 hours.
    expect(startOfBerlinDay('2025-10-26').toISOString()).toBe('2025-10-25T22:00:00.000Z');
    expect(endOfBerlinDay('2025-10-26').toISOString()).toBe('2025-10-26T22:59:59.999Z');
  });
});
