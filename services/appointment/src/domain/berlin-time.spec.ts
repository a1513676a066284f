import { berlinInstant, berlinLocal, berlinOffsetMinutes, berlinToday } from './berlin-time.js';

const berlinFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', timeZoneName: 'shortOffset' });

function intlOffsetMinutes(instant: Date): number {
  const parts = berlinFormat.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value;
  const match = /GMT([+-]\d+)/.exec(parts ?? '');
  return Number(match?.[1] ?? 0) * 60;
}

describe('Berlin local time', () => {
  it('agrees with the ICU time zone data for every hour from 2024 to 2030', () => {
    const start = Date.UTC(2024, 0, 1);
    const end = Date.UTC(2031, 0, 1);
    for (let ms = start; ms < end; ms += 3_600_000) {
      const instant = new Date(ms);
      expect(berlinOffsetMinutes(instant)).toBe(intlOffsetMinutes(instant));
    }
  });

  it('switches to summer time at 01:00 UTC on the last Sunday of March and back in October', () => {
    expect(berlinOffsetMinutes(new Date('2027-03-28T00:59:59Z'))).toBe(60);
    expect(berlinOffsetMinutes(new Date('2027-03-28T01:00:00Z'))).toBe(120);
    expect(berlinOffsetMinutes(new Date('2026-10-25T00:59:59Z'))).toBe(120);
    expect(berlinOffsetMinutes(new Date('2026-10-25T01:00:00Z'))).toBe(60);
  });

  it('maps wall-clock times to instants and back', () => {
    expect(berlinInstant('2026-11-24', 9 * 60).toISOString()).toBe('2026-11-24T08:00:00.000Z');
    expect(berlinInstant('2027-06-02', 10 * 60).toISOString()).toBe('2027-06-02T08:00:00.000Z');
    expect(berlinLocal(new Date('2026-11-24T08:00:00Z'))).toEqual({ date: '2026-11-24', minuteOfDay: 540 });
    expect(berlinLocal(new Date('2026-12-31T23:30:00Z'))).toEqual({ date: '2027-01-01', minuteOfDay: 30 });
    expect(berlinToday(new Date('2026-11-21T23:30:00Z'))).toBe('2026-11-22');
  });

  it('moves a time in the spring gap forward and takes the first of an autumn repeat', () => {
    // 02:30 does not exist on 28 March 2027: the wall clock jumps from 02:00 to 03:00.
    expect(berlinInstant('2027-03-28', 150).toISOString()).toBe('2027-03-28T01:30:00.000Z');
    // 02:30 happens twice on 31 October 2027; the first time is still summer time.
    expect(berlinInstant('2027-10-31', 150).toISOString()).toBe('2027-10-31T00:30:00.000Z');
  });
});
