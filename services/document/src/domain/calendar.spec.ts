import { berlinDate, berlinYear, germanDate, isCalendarDate } from './calendar.js';
import { DomainError } from './errors.js';

describe('Berlin calendar', () => {
  it('takes the Berlin date, not the UTC date, around midnight', () => {
    // 23:30 UTC on 31 Dec is already New Year in Berlin (UTC+1 in winter).
    expect(berlinDate(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    expect(berlinYear(new Date('2026-12-31T23:30:00Z'))).toBe(2027);
    expect(berlinDate(new Date('2026-12-31T22:59:59Z'))).toBe('2026-12-31');
    // Summer time: UTC+2.
    expect(berlinDate(new Date('2026-06-30T22:00:00Z'))).toBe('2026-07-01');
    expect(berlinDate(new Date('2026-06-30T21:59:59Z'))).toBe('2026-06-30');
  });

  it('recognises real calendar dates only', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-04-31')).toBe(false);
    expect(isCalendarDate('2026-12-31')).toBe(true);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('26-01-01')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
    expect(isCalendarDate('')).toBe(false);
  });

  it('writes dates the German way', () => {
    expect(germanDate('2026-03-01')).toBe('01.03.2026');
    expect(() => germanDate('2026-02-30')).toThrow(DomainError);
  });
});
