import { leipzigCatalogue } from '../seed-data.js';
import type { Location } from './catalogue.js';
import { addDays, weekdayOf } from './dates.js';
import { closedBecause, isOpenOn, nextOpenDates, openingHoursText, poolSlotsOn, ruleAppliesOn } from './schedule.js';

const catalogue = leipzigCatalogue();
const closures = catalogue.cityClosures;
const location = (id: string): Location => {
  const found = catalogue.locations.find((l) => l.id === id);
  if (!found) throw new Error(id);
  return found;
};
const slotsOf = (id: string, date: string) => {
  const l = location(id);
  return poolSlotsOn(l, l.pools[0] as Location['pools'][number], date, closures);
};

describe('slots of a fixed office', () => {
  it('has morning slots on Monday and a long day with a lunch break on Tuesday', () => {
    const monday = slotsOf('bb-zentrum', '2026-11-23');
    expect(monday).toHaveLength(16);
    expect(monday[0]).toEqual({ key: 't0800', minute: 480, counters: 6 });
    expect(monday.at(-1)?.key).toBe('t1145');

    const tuesday = slotsOf('bb-zentrum', '2026-11-24').map((s) => s.key);
    expect(tuesday).toHaveLength(12 + 20);
    expect(tuesday).toContain('t1145');
    expect(tuesday).not.toContain('t1200');
    expect(tuesday).not.toContain('t1245');
    expect(tuesday).toContain('t1300');
    expect(tuesday.at(-1)).toBe('t1745');
  });

  it('is closed at weekends, on Saxon public holidays and on city and location closures', () => {
    expect(slotsOf('bb-zentrum', '2026-11-28')).toEqual([]); // Saturday
    expect(slotsOf('bb-zentrum', '2026-12-24')).toEqual([]); // Heiligabend: city closure (a Thursday)
    expect(slotsOf('bb-zentrum', '2026-12-25')).toEqual([]); // 1. Weihnachtstag
    expect(slotsOf('bb-zentrum', '2027-01-01')).toEqual([]); // Neujahr
    expect(slotsOf('bb-zentrum', '2027-03-26')).toEqual([]); // Karfreitag
    expect(slotsOf('bb-zentrum', '2027-03-29')).toEqual([]); // Ostermontag
    expect(slotsOf('bb-zentrum', '2027-11-17')).toEqual([]); // Buß- und Bettag
    expect(slotsOf('bb-gohlis', '2027-02-01')).toEqual([]); // renovation, first day
    expect(slotsOf('bb-gohlis', '2027-02-12')).toEqual([]); // renovation, last day
    expect(slotsOf('bb-gohlis', '2027-02-15')).toHaveLength(16); // open again on Monday
    expect(slotsOf('bb-zentrum', '2027-02-01')).toHaveLength(16); // the closure is Gohlis's only
    expect(closedBecause(location('bb-zentrum'), '2027-11-17', closures)).toBe('Buß- und Bettag');
    expect(closedBecause(location('bb-gohlis'), '2027-02-03', closures)).toBe('Umbau der Schalterhalle');
  });

  it('adds the counters of overlapping rules', () => {
    const l = location('bb-zentrum');
    const twoGroups: Location = {
      ...l,
      pools: [
        {
          groupId: 'g',
          slotMinutes: 15,
          rules: [
            { weekdays: [1], from: '08:00', to: '09:00', counters: 2 },
            { weekdays: [1], from: '08:30', to: '09:30', counters: 1 },
          ],
        },
      ],
    };
    const slots = poolSlotsOn(twoGroups, twoGroups.pools[0] as Location['pools'][number], '2026-11-23', []);
    expect(slots.map((s) => [s.key, s.counters])).toEqual([
      ['t0800', 2],
      ['t0815', 2],
      ['t0830', 3],
      ['t0845', 3],
      ['t0900', 1],
      ['t0915', 1],
    ]);
  });
});

describe('the mobile Bürgerkoffer', () => {
  const stops = catalogue.locations.filter((l) => l.kind === 'mobile-stop');

  it('alternates Wednesdays between Plagwitz and Reudnitz, 10–18, one counter', () => {
    expect(slotsOf('koffer-plagwitz', '2026-11-25')).toHaveLength(32);
    expect(slotsOf('koffer-plagwitz', '2026-11-25')[0]).toEqual({ key: 't1000', minute: 600, counters: 1 });
    expect(slotsOf('koffer-reudnitz', '2026-11-25')).toEqual([]);
    expect(slotsOf('koffer-reudnitz', '2026-12-02')).toHaveLength(32);
    expect(slotsOf('koffer-plagwitz', '2026-12-02')).toEqual([]);
    expect(slotsOf('koffer-plagwitz', '2026-11-26')).toEqual([]); // a Thursday
  });

  it('rotates through four stops from 6 January 2027', () => {
    const visits = ['2027-01-06', '2027-01-13', '2027-01-20', '2027-01-27', '2027-02-03'].map((date) =>
      stops.filter((s) => isOpenOn(s, date, closures)).map((s) => s.id),
    );
    expect(visits).toEqual([
      ['koffer-plagwitz'],
      ['koffer-reudnitz'],
      ['koffer-holzhausen'],
      ['koffer-marienbrunn'],
      ['koffer-plagwitz'],
    ]);
    expect(isOpenOn(location('koffer-holzhausen'), '2026-12-30', closures)).toBe(false); // not yet
  });

  it('is at exactly one stop every Wednesday, except on holidays and closures', () => {
    let wednesday = '2026-01-07';
    const gaps: string[] = [];
    for (let i = 0; i < 200; i++, wednesday = addDays(wednesday, 7)) {
      const open = stops.filter((s) => isOpenOn(s, wednesday, closures));
      expect(open.length).toBeLessThanOrEqual(1);
      if (open.length === 0) gaps.push(wednesday);
    }
    expect(gaps).toEqual(['2026-11-18', '2027-02-10', '2027-11-17', '2028-11-22', '2029-10-03', '2029-10-31']);
  });

  it('lists its next dates, skipping a library closure', () => {
    expect(nextOpenDates(location('koffer-reudnitz'), '2026-11-23', '2027-03-31', closures, 6)).toEqual([
      '2026-12-02',
      '2026-12-16',
      '2026-12-30',
      '2027-01-13',
      '2027-03-10', // 10 February: the library's stock-taking
    ]);
    expect(nextOpenDates(location('koffer-reudnitz'), '2026-11-23', '2027-12-31', closures, 2)).toHaveLength(2);
  });
});

describe('opening rules', () => {
  it('apply on their weekdays within their validity and rotation, also before the anchor', () => {
    const rule = {
      weekdays: [3 as const],
      from: '10:00',
      to: '18:00',
      counters: 1,
      everyWeeks: 2,
      anchorDate: '2026-01-14',
    };
    expect(ruleAppliesOn(rule, '2026-01-14')).toBe(true);
    expect(ruleAppliesOn(rule, '2026-01-21')).toBe(false);
    expect(ruleAppliesOn(rule, '2025-12-31')).toBe(true);
    expect(ruleAppliesOn(rule, '2025-12-24')).toBe(false);
    expect(ruleAppliesOn({ ...rule, validUntil: '2026-01-27' }, '2026-01-28')).toBe(false);
    expect(ruleAppliesOn({ ...rule, validFrom: '2026-01-29' }, '2026-01-28')).toBe(false);
    expect(weekdayOf('2026-01-14')).toBe(3);
  });

  it('describe opening hours in German', () => {
    expect(openingHoursText(location('bb-zentrum'), '2026-11-23')).toBe('Mo, Mi, Fr 8–12 Uhr; Di, Do 9–12, 13–18 Uhr');
    expect(openingHoursText(location('koffer-plagwitz'), '2026-11-23')).toBe(
      'Mi 10–18 Uhr (alle 2 Wochen); Mi 10–18 Uhr (alle 4 Wochen, ab 06.01.2027)',
    );
    expect(openingHoursText(location('koffer-plagwitz'), '2027-02-01')).toBe('Mi 10–18 Uhr (alle 4 Wochen)');
  });
});
