import { addWerktage, isWerktag, isWorkingDay, nextWorkingDay, sameOrNextWorkingDay } from './working-days.js';

describe('working days', () => {
  it('are Monday to Friday without Saxon holidays', () => {
    expect(isWorkingDay('2025-11-17')).toBe(true); // Monday
    expect(isWorkingDay('2025-11-22')).toBe(false); // Saturday
    expect(isWorkingDay('2025-11-23')).toBe(false); // Sunday
    expect(isWorkingDay('2025-11-19')).toBe(false); // Buß- und Bettag
    expect(isWorkingDay('2025-12-24')).toBe(true);
  });

  it.each([
    ['2025-11-17', '2025-11-18'], // Monday -> Tuesday
    ['2025-11-18', '2025-11-20'], // over Buß- und Bettag
    ['2025-11-21', '2025-11-24'], // Friday -> Monday
    ['2025-11-22', '2025-11-24'], // Saturday -> Monday
    ['2025-10-30', '2025-11-03'], // over Reformationstag (Friday) and the weekend
    ['2026-04-02', '2026-04-07'], // Maundy Thursday over Easter
    ['2025-12-24', '2025-12-29'], // over Christmas
    ['2025-12-23', '2025-12-24'],
    ['2026-05-13', '2026-05-15'], // over Ascension Day
  ])('the working day after %s is %s', (date, next) => {
    expect(nextWorkingDay(date)).toBe(next);
  });

  it('moves a deadline on a weekend or holiday to the next working day', () => {
    expect(sameOrNextWorkingDay('2025-11-17')).toBe('2025-11-17');
    expect(sameOrNextWorkingDay('2025-11-15')).toBe('2025-11-17');
    expect(sameOrNextWorkingDay('2025-10-31')).toBe('2025-11-03');
  });
});

describe('Werktage (BMG §33)', () => {
  it('include Saturdays but not Sundays or holidays', () => {
    expect(isWerktag('2025-11-22')).toBe(true);
    expect(isWerktag('2025-11-23')).toBe(false);
    expect(isWerktag('2025-11-19')).toBe(false);
  });

  it.each([
    ['2025-11-17', '2025-11-21'], // Tue, (Wed holiday), Thu, Fri
    ['2025-11-20', '2025-11-24'], // Fri, Sat, (Sun), Mon
    ['2025-12-24', '2025-12-30'], // (25, 26 holidays), Sat 27, (Sun), Mon 29, Tue 30
  ])('three Werktage after %s is %s', (date, due) => {
    expect(addWerktage(date, 3)).toBe(due);
  });
});
