import { berlinDate } from './berlin-date.js';

describe('berlinDate', () => {
  it('is the calendar date in Europe/Berlin, winter and summer', () => {
    expect(berlinDate(new Date('2026-11-21T22:59:59Z'))).toBe('2026-11-21');
    expect(berlinDate(new Date('2026-11-21T23:00:00Z'))).toBe('2026-11-22');
    expect(berlinDate(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01');
    expect(berlinDate(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
  });
});
