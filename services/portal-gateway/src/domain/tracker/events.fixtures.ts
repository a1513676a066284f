import type { TrackerEvent } from './events.js';

/** Events of one bundle, for tests: Anna and Jonas move with one car, documents and an auto-booked appointment. */
export const MOVE = 'move-1';
let counter = 0;
const id = () => `e-${String(++counter).padStart(4, '0')}`;
const at = (minute: number) => new Date(Date.UTC(2026, 4, 2, 10, minute)).toISOString();

export function addressChanged(
  overrides: Partial<Extract<TrackerEvent, { kind: 'address-changed' }>> = {},
): TrackerEvent {
  return {
    kind: 'address-changed',
    eventId: id(),
    at: at(0),
    moveId: MOVE,
    applicantId: 'P0000001',
    persons: [
      { personId: 'P0000001', displayName: 'Anna Müller' },
      { personId: 'P0000002', displayName: 'Jonas Müller' },
    ],
    plates: ['L-AM 2026'],
    documents: ['registration-confirmation', 'vehicle-registration-record'],
    appointment: { wanted: true, autoBook: true },
    ...overrides,
  };
}

export const vehicleUpdated = (minute = 1): TrackerEvent => ({
  kind: 'vehicle-updated',
  eventId: id(),
  at: at(minute),
  moveId: MOVE,
  plate: 'L-AM 2026',
});

export const confirmation = (personId: string, documentId: string, minute = 2): TrackerEvent => ({
  kind: 'document-issued',
  eventId: id(),
  at: at(minute),
  moveId: MOVE,
  documentId,
  documentKind: 'registration-confirmation',
  personId,
  plate: '',
  documentNumber: `MB-${documentId}`,
  status: 'valid',
});

export const vehicleRecord = (documentId: string, minute = 3): TrackerEvent => ({
  kind: 'document-issued',
  eventId: id(),
  at: at(minute),
  moveId: MOVE,
  documentId,
  documentKind: 'vehicle-registration-record',
  personId: 'P0000001',
  plate: 'L-AM 2026',
  documentNumber: `FZ-${documentId}`,
  status: 'valid',
});

export const stickerOrder = (documentId: string, minute = 4): TrackerEvent => ({
  kind: 'document-issued',
  eventId: id(),
  at: at(minute),
  moveId: MOVE,
  documentId,
  documentKind: 'id-card-sticker-order',
  personId: 'P0000001',
  plate: '',
  documentNumber: `AO-${documentId}`,
  status: 'pending',
});

export const booked = (appointmentId: string, minute = 5): TrackerEvent => ({
  kind: 'appointment-booked',
  eventId: id(),
  at: at(minute),
  moveId: MOVE,
  appointmentId,
  locationId: 'bb-gohlis',
  serviceId: 'id-card-sticker',
  start: '2026-05-06T08:00:00.000Z',
  end: '2026-05-06T08:15:00.000Z',
});

export const revoked = (minute = 10): TrackerEvent => ({
  kind: 'address-change-revoked',
  eventId: id(),
  at: at(minute),
  moveId: MOVE,
});

export const vehicleRestored = (minute = 11): TrackerEvent => ({
  kind: 'vehicle-restored',
  eventId: id(),
  at: at(minute),
  moveId: MOVE,
  plate: 'L-AM 2026',
});

export const documentRevoked = (
  documentId: string,
  documentKind: 'registration-confirmation' | 'vehicle-registration-record' | 'id-card-sticker-order',
  personId: string,
  plate = '',
  minute = 12,
): TrackerEvent => ({
  kind: 'document-revoked',
  eventId: id(),
  at: at(minute),
  moveId: MOVE,
  documentId,
  documentKind,
  personId,
  plate,
  reason: 'move-revoked',
});

export const cancelled = (appointmentId: string, reason = 'move-revoked', minute = 13): TrackerEvent => ({
  kind: 'appointment-cancelled',
  eventId: id(),
  at: at(minute),
  moveId: MOVE,
  appointmentId,
  reason,
});

/** Everything of a household move with one car, documents and auto-booking, in the order it usually happens. */
export function completeHousehold(): TrackerEvent[] {
  return [
    addressChanged(),
    vehicleUpdated(),
    confirmation('P0000001', 'd-anna'),
    confirmation('P0000002', 'd-jonas'),
    vehicleRecord('d-car'),
    stickerOrder('d-sticker'),
    booked('a-1'),
  ];
}

/** The compensations of every step of `completeHousehold`. */
export function revocationOfHousehold(): TrackerEvent[] {
  return [
    revoked(),
    vehicleRestored(),
    documentRevoked('d-anna', 'registration-confirmation', 'P0000001'),
    documentRevoked('d-jonas', 'registration-confirmation', 'P0000002'),
    documentRevoked('d-car', 'vehicle-registration-record', 'P0000001', 'L-AM 2026'),
    documentRevoked('d-sticker', 'id-card-sticker-order', 'P0000001'),
    cancelled('a-1'),
  ];
}
