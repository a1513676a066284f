import type { AppointmentData } from './appointment.js';
import { berlinLocal } from './berlin-time.js';
import type { Location, Service } from './catalogue.js';

/**
 * An appointment as an iCalendar object (RFC 5545), for the citizen's
 * calendar. Times are local wall-clock times with TZID=Europe/Berlin and the
 * matching VTIMEZONE (EU rule since 1996), so clients show 10:00 at the office
 * as 10:00 whatever their own zone. Lines end in CRLF and are folded at 75
 * octets without splitting a UTF-8 character (RFC 5545 §3.1).
 */

export const ICALENDAR_PRODID = '-//Stadt Leipzig//Buergerservice Terminvereinbarung 1.0//DE';
/** Domain of the UIDs: globally unique per appointment, stable across exports (RFC 5545 §3.8.4.7). */
export const ICALENDAR_UID_DOMAIN = 'termine.buergerservice.leipzig.de';

const VTIMEZONE_BERLIN = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

export interface CalendarInput {
  appointment: Pick<
    AppointmentData,
    'id' | 'bookingCode' | 'state' | 'rev' | 'slot' | 'interpreterLanguage' | 'updatedAt'
  >;
  service: Pick<Service, 'name'>;
  location: Pick<Location, 'name' | 'address' | 'position'>;
}

export function appointmentCalendar({ appointment, service, location }: CalendarInput): string {
  const { address } = location;
  const street = `${address.street} ${address.houseNumber}${address.houseNumberSuffix}`;
  const place = `${location.name}, ${street}, ${address.postalCode} ${address.municipality}`;
  const description = [
    `Buchungscode: ${appointment.bookingCode}`,
    `Dienstleistung: ${service.name}`,
    ...(appointment.interpreterLanguage
      ? [`Videodolmetschen (kostenfrei) in der Sprache: ${appointment.interpreterLanguage}`]
      : []),
    'Bitte bringen Sie ein gültiges Ausweisdokument und den Buchungscode mit.',
    'Absagen und Verlegen im Bürgerservice-Portal.',
  ].join('\n');
  const cancelled = appointment.state === 'cancelled';
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${ICALENDAR_PRODID}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    ...VTIMEZONE_BERLIN,
    'BEGIN:VEVENT',
    `UID:${appointment.id}@${ICALENDAR_UID_DOMAIN}`,
    `DTSTAMP:${utcStamp(appointment.updatedAt)}`,
    // Each reschedule is a new revision of the same event (RFC 5545 §3.8.7.4).
    `SEQUENCE:${appointment.rev - 1}`,
    `DTSTART;TZID=Europe/Berlin:${localStamp(appointment.slot.start)}`,
    `DTEND;TZID=Europe/Berlin:${localStamp(appointment.slot.end)}`,
    `SUMMARY:${escapeText(`${cancelled ? 'Abgesagt: ' : ''}${service.name} – ${location.name}`)}`,
    `LOCATION:${escapeText(place)}`,
    `GEO:${location.position.lat.toFixed(6)};${location.position.lon.toFixed(6)}`,
    `DESCRIPTION:${escapeText(description)}`,
    `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    ...(cancelled
      ? []
      : [
          'BEGIN:VALARM',
          'ACTION:DISPLAY',
          `DESCRIPTION:${escapeText(`Termin morgen: ${service.name}`)}`,
          'TRIGGER:-P1D',
          'END:VALARM',
        ]),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

/** TEXT value escaping (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds a content line into chunks of at most 75 octets, continuation lines starting with a space. */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let currentBytes = 0;
  // The first line may hold 75 octets; continuation lines 74 plus the leading space.
  let limit = 75;
  for (const char of line) {
    const bytes = encoder.encode(char).length;
    if (currentBytes + bytes > limit) {
      parts.push(current);
      current = '';
      currentBytes = 0;
      limit = 74;
    }
    current += char;
    currentBytes += bytes;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function utcStamp(instant: Date): string {
  return `${instant.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

function localStamp(instant: Date): string {
  const { date, minuteOfDay } = berlinLocal(instant);
  const hh = String(Math.floor(minuteOfDay / 60)).padStart(2, '0');
  const mm = String(minuteOfDay % 60).padStart(2, '0');
  return `${date.replace(/-/g, '')}T${hh}${mm}00`;
}
