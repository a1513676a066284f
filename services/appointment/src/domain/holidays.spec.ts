import { bussUndBettag, easterSunday, saxonyHoliday, saxonyPublicHolidays } from './holidays.js';

describe('Saxon public holidays', () => {
  it.each([
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
  ])('Easter Sunday %i is %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });

  it.each([
    [2024, '2024-11-20'],
    [2025, '2025-11-19'],
    [2026, '2026-11-18'],
    [2027, '2027-11-17'],
    [2028, '2028-11-22'],
    [2029, '2029-11-21'],
  ])('Buß- und Bettag %i is %s (a Wednesday between 16 and 22 November)', (year, date) => {
    expect(bussUndBettag(year)).toBe(date);
  });

  it('lists the holidays of 2027 including the Easter-based ones, Reformationstag and Buß- und Bettag', () => {
    expect(saxonyPublicHolidays(2027)).toEqual([
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

  it('looks a date up', () => {
    expect(saxonyHoliday('2029-10-31')).toBe('Reformationstag');
    expect(saxonyHoliday('2027-05-27')).toBeUndefined(); // Fronleichnam: not a holiday in Leipzig
    expect(saxonyHoliday('2026-12-24')).toBeUndefined(); // Heiligabend: a city closure, not a holiday
  });
});
