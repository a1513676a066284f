import ICAL from 'ical.js';
import type { AppointmentData } from './appointment.js';
import { appointmentCalendar, escapeText, foldLine } from './icalendar.js';

const appointment: Pick<
  AppointmentData,
  'id' | 'bookingCode' | 'state' | 'rev' | 'slot' | 'interpreterLanguage' | 'updatedAt'
> = {
  id: '3f2b8a6e-1c2d-8e4f-9a0b-123456789abc',
  bookingCode: 'K7P-4QX',
  state: 'booked',
  rev: 2,
  slot: {
    locationId: 'standesamt-leipzig',
    groupId: 'standesamt',
    date: '2027-06-02',
    startMinute: 600,
    slotKeys: ['t1000', 't1015', 't1030', 't1045'],
    start: new Date('2027-06-02T08:00:00Z'),
    end: new Date('2027-06-02T09:00:00Z'),
  },
  interpreterLanguage: 'ar',
  updatedAt: new Date('2026-11-23T08:15:00Z'),
};
const location = {
  name: 'Standesamt Leipzig; Trauzimmer, Neues Rathaus',
  address: {
    street: 'Martin-Luther-Ring',
    houseNumber: '4',
    houseNumberSuffix: '',
    postalCode: '04109',
    municipality: 'Leipzig',
    municipalityKey: '14713000',
    district: 'Zentrum',
  },
  position: { lat: 51.3368, lon: 12.3716 },
};
const service = { name: 'Eheschließung anmelden – mit Übersetzung für die Äußerungen beider Verlobten' };

describe('the iCalendar export', () => {
  const ics = appointmentCalendar({ appointment, service, location });

  it('uses CRLF line endings and folds every line at 75 octets', () => {
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  });

  it('never splits a UTF-8 character when folding', () => {
    const line = `SUMMARY:${'ä'.repeat(60)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
  });

  it('escapes text values', () => {
    expect(escapeText('a;b,c\\d\ne')).toBe('a\\;b\\,c\\\\d\\ne');
  });

  it('parses with an independent parser to the same event', () => {
    const calendar = new ICAL.Component(ICAL.parse(ics));
    const timezone = calendar.getFirstSubcomponent('vtimezone');
    if (timezone) ICAL.TimezoneService.register(timezone);
    const vevent = calendar.getFirstSubcomponent('vevent');
    if (!vevent) throw new Error('no VEVENT');
    const event = new ICAL.Event(vevent);
    expect(event.uid).toBe('3f2b8a6e-1c2d-8e4f-9a0b-123456789abc@termine.buergerservice.leipzig.de');
    expect(event.startDate.toJSDate().toISOString()).toBe('2027-06-02T08:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2027-06-02T09:00:00.000Z');
    expect(event.startDate.zone?.tzid).toBe('Europe/Berlin');
    expect(event.summary).toBe(`${service.name} – ${location.name}`);
    expect(event.location).toBe('Standesamt Leipzig; Trauzimmer, Neues Rathaus, Martin-Luther-Ring 4, 04109 Leipzig');
    expect(event.description).toContain('Buchungscode: K7P-4QX\n');
    expect(event.description).toContain('Videodolmetschen (kostenfrei) in der Sprache: ar');
    expect(event.sequence).toBe(1);
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
  });

  it('marks a cancelled appointment', () => {
    const cancelled = appointmentCalendar({ appointment: { ...appointment, state: 'cancelled' }, service, location });
    const vevent = new ICAL.Component(ICAL.parse(cancelled)).getFirstSubcomponent('vevent');
    expect(vevent?.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(String(vevent?.getFirstPropertyValue('summary'))).toMatch(/^Abgesagt: /);
    expect(vevent?.getFirstSubcomponent('valarm')).toBeNull();
  });
});
