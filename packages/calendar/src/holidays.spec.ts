import { bussUndBettag, easterSunday, isSaxonyHoliday, saxonyHoliday, saxonyHolidays } from './holidays.js';

describe('Saxony public holidays', () => {
  it.each([
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'], // latest possible date
    [2285, '2285-03-22'], // earliest possible date
    [2000, '2000-04-23'],
  ])('Easter Sunday %i is %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });

  it.each([
    [2021, '2021-11-17'],
    [2022, '2022-11-16'],
    [2023, '2023-11-22'],
    [2024, '2024-11-20'],
    [2025, '2025-11-19'],
    [2026, '2026-11-18'],
    [2027, '2027-11-17'],
    [2028, '2028-11-22'],
    [2029, '2029-11-21'],
  ])('Buß- und Bettag %i is %s (a Wednesday between 16 and 22 November)', (year, date) => {
    expect(bussUndBettag(year)).toBe(date);
  });

  it('lists the holidays of 2026', () => {
    expect(saxonyHolidays(2026).map((h) => `${h.date} ${h.name}`)).toEqual([
      '2026-01-01 Neujahr',
      '2026-04-03 Karfreitag',
      '2026-04-05 Ostersonntag',
      '2026-04-06 Ostermontag',
      '2026-05-01 Tag der Arbeit',
      '2026-05-14 Christi Himmelfahrt',
      '2026-05-24 Pfingstsonntag',
      '2026-05-25 Pfingstmontag',
      '2026-10-03 Tag der Deutschen Einheit',
      '2026-10-31 Reformationstag',
      '2026-11-18 Buß- und Bettag',
      '2026-12-25 1. Weihnachtstag',
      '2026-12-26 2. Weihnachtstag',
    ]);
  });

  it('lists the holidays of 2027 in calendar order although Easter falls in March', () => {
    expect(saxonyHolidays(2027)).toEqual([
      { date: '2027-01-01', name: 'Neujahr' },
      { date: '2027-03-26', name: 'Karfreitag' },
      { date: '2027-03-28', name: 'Ostersonntag' },
      { date: '2027-03-29', name: 'Ostermontag' },
      { date: '2027-05-01', name: 'Tag der Arbeit' },
      { date: '2027-05-06', name: 'Christi Himmelfahrt' },
      { date: '2027-05-16', name: 'Pfingstsonntag' },
      { date: '2027-05-17', name: 'Pfingstmontag' },
      { date: '2027-10-03', name: 'Tag der Deutschen Einheit' },
      { date: '2027-10-31', name: 'Reformationstag' },
      { date: '2027-11-17', name: 'Buß- und Bettag' },
      { date: '2027-12-25', name: '1. Weihnachtstag' },
      { date: '2027-12-26', name: '2. Weihnachtstag' },
    ]);
  });

  it('includes the Saxon holidays and excludes the ones of other states', () => {
    expect(isSaxonyHoliday('2025-10-31')).toBe(true); // Reformationstag
    expect(isSaxonyHoliday('2025-11-19')).toBe(true); // Buß- und Bettag
    expect(isSaxonyHoliday('2025-06-19')).toBe(false); // Fronleichnam: not in Leipzig
    expect(isSaxonyHoliday('2025-11-01')).toBe(false); // Allerheiligen: not in Saxony
    expect(isSaxonyHoliday('2025-01-06')).toBe(false); // Heilige Drei Könige: not in Saxony
    expect(isSaxonyHoliday('2025-12-24')).toBe(false); // Heiligabend is a working day
    expect(isSaxonyHoliday('2025-04-18')).toBe(true); // Karfreitag
    expect(isSaxonyHoliday('2025-04-21')).toBe(true); // Ostermontag
    expect(isSaxonyHoliday('2025-05-29')).toBe(true); // Christi Himmelfahrt
    expect(isSaxonyHoliday('2025-06-09')).toBe(true); // Pfingstmontag
  });

  it('names the holiday on a date', () => {
    expect(saxonyHoliday('2029-10-31')).toBe('Reformationstag');
    expect(saxonyHoliday('2026-11-18')).toBe('Buß- und Bettag');
    expect(saxonyHoliday('2027-05-27')).toBeUndefined(); // Fronleichnam: not a holiday in Leipzig
    expect(saxonyHoliday('2026-12-24')).toBeUndefined(); // Heiligabend: a city closure, not a holiday
  });

  it('refuses what is not a date of the calendar', () => {
    expect(() => saxonyHoliday('2025-02-29')).toThrow(RangeError);
    expect(() => isSaxonyHoliday('2025-13-01')).toThrow(RangeError);
    expect(() => isSaxonyHoliday('31.10.2025')).toThrow(RangeError);
  });

  it('takes the years 0001–0099 as they are (a date the portal fuzzing sent)', () => {
    expect(saxonyHoliday('0008-01-01')).toBe('Neujahr');
    expect(saxonyHoliday('0008-02-27')).toBeUndefined();
  });
});
