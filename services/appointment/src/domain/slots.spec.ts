import { leipzigCatalogue } from '../seed-data.js';
import { CatalogueIndex, type Location, type Service } from './catalogue.js';
import {
  capacityDayId,
  findServiceSlot,
  freeSeats,
  inWindow,
  openWindow,
  serviceSlotsOn,
  slotsNeeded,
} from './slots.js';

const index = new CatalogueIndex(leipzigCatalogue());
const closures = index.catalogue.cityClosures;
const loc = (id: string) => index.location(id) as Location;
const svc = (id: string) => index.service(id) as Service;

describe('service slots', () => {
  it('gives a 15-minute service every slot of the day', () => {
    const slots = serviceSlotsOn(loc('bb-zentrum'), svc('personalausweis-adressaenderung'), '2026-11-24', closures);
    expect(slots).toHaveLength(32);
    expect(slots[0]).toMatchObject({
      locationId: 'bb-zentrum',
      groupId: 'buergerbuero',
      date: '2026-11-24',
      startMinute: 540,
      slotKeys: ['t0900'],
      counters: 6,
    });
    expect(slots[0]?.start.toISOString()).toBe('2026-11-24T08:00:00.000Z');
    expect(slots[0]?.end.toISOString()).toBe('2026-11-24T08:15:00.000Z');
  });

  it('lets a longer service start only where its consecutive slots fit before a break or closing', () => {
    const passport = svc('reisepass-beantragen'); // 30 minutes = 2 slots
    expect(slotsNeeded(passport, 15)).toBe(2);
    const slots = serviceSlotsOn(loc('bb-zentrum'), passport, '2026-11-24', closures);
    const starts = slots.map((s) => s.slotKeys[0]);
    expect(starts).toContain('t1130');
    expect(starts).not.toContain('t1145'); // would run into the lunch break
    expect(starts).toContain('t1730');
    expect(starts).not.toContain('t1745'); // would run past closing
    expect(slots.find((s) => s.slotKeys[0] === 't1130')?.slotKeys).toEqual(['t1130', 't1145']);
    expect(slots).toHaveLength(11 + 19);
  });

  it('gives a one-hour registry-office appointment four consecutive slots', () => {
    const marriage = svc('standesamt-eheschliessung-anmelden');
    const slots = serviceSlotsOn(loc('standesamt-leipzig'), marriage, '2026-11-23', closures);
    expect(slots[0]?.slotKeys).toEqual(['t0800', 't0815', 't0830', 't0845']);
    expect(slots.at(-1)?.slotKeys).toEqual(['t1100', 't1115', 't1130', 't1145']);
    expect(slots).toHaveLength(13);
    expect((slots[0]?.end.getTime() ?? 0) - (slots[0]?.start.getTime() ?? 0)).toBe(3_600_000);
  });

  it('rounds a duration that is not a whole number of slots up', () => {
    expect(slotsNeeded({ ...svc('meldebescheinigung'), durationMinutes: 20 }, 15)).toBe(2);
  });

  it('has none where the location does not offer the service, on holidays and on days without a visit', () => {
    expect(serviceSlotsOn(loc('jobcenter-leipzig'), svc('meldebescheinigung'), '2026-11-24', closures)).toEqual([]);
    expect(serviceSlotsOn(loc('bb-zentrum'), svc('meldebescheinigung'), '2026-12-25', closures)).toEqual([]);
    expect(serviceSlotsOn(loc('koffer-reudnitz'), svc('meldebescheinigung'), '2026-11-25', closures)).toEqual([]);
    expect(serviceSlotsOn(loc('koffer-plagwitz'), svc('meldebescheinigung'), '2026-11-25', closures)).toHaveLength(32);
  });

  it('finds the slot at an exact instant only', () => {
    const service = svc('personalausweis-adressaenderung');
    const found = findServiceSlot(loc('bb-zentrum'), service, new Date('2026-11-24T12:00:00Z'), closures); // 13:00 local
    expect(found?.slotKeys).toEqual(['t1300']);
    expect(findServiceSlot(loc('bb-zentrum'), service, new Date('2026-11-24T11:00:00Z'), closures)).toBeUndefined();
    expect(findServiceSlot(loc('bb-zentrum'), service, new Date('2026-11-24T12:05:00Z'), closures)).toBeUndefined();
    // Summer time: 10:00 local on a Wednesday in June is 08:00 UTC.
    expect(findServiceSlot(loc('bb-zentrum'), service, new Date('2027-06-02T08:00:00Z'), closures)?.startMinute).toBe(
      600,
    );
  });

  it('counts free seats as the smallest over the slots needed, never below zero', () => {
    const slot = serviceSlotsOn(loc('bb-zentrum'), svc('reisepass-beantragen'), '2026-11-24', closures)[0];
    if (!slot) throw new Error('no slot');
    expect(slot.countersByKey).toEqual({ t0900: 6, t0915: 6 });
    expect(freeSeats(slot, undefined)).toBe(6);
    expect(freeSeats(slot, { t0900: 2, t0915: 5 })).toBe(1);
    expect(freeSeats(slot, { t0900: 6 })).toBe(0);
    expect(freeSeats(slot, { t0900: 7 })).toBe(0); // counters reduced after seats were taken
    expect(freeSeats(slot, { t1000: 6 })).toBe(6);
    expect(capacityDayId('bb-zentrum', 'buergerbuero', '2026-11-24')).toBe('bb-zentrum/buergerbuero/2026-11-24');
  });
});

describe('the booking window', () => {
  const now = new Date('2026-11-23T07:30:00Z'); // Monday 08:30 in Leipzig
  const open = openWindow(now, { horizonDays: 90, minLeadMinutes: 60 });

  it('opens an hour from now and closes after the horizon', () => {
    expect(open).toEqual({
      today: '2026-11-23',
      earliestStart: new Date('2026-11-23T08:30:00Z'),
      lastDate: '2027-02-21',
    });
    expect(inWindow({ start: new Date('2026-11-23T08:15:00Z'), date: '2026-11-23' }, open)).toBe(false);
    expect(inWindow({ start: new Date('2026-11-23T08:30:00Z'), date: '2026-11-23' }, open)).toBe(true);
    expect(inWindow({ start: new Date('2027-02-21T09:00:00Z'), date: '2027-02-21' }, open)).toBe(true);
    expect(inWindow({ start: new Date('2027-02-22T09:00:00Z'), date: '2027-02-22' }, open)).toBe(false);
  });
});
