import { appointment as contract, type common } from '@buergerservice/contracts';
import { call } from '@buergerservice/service-kit';
import type { AppointmentAuthority, CallOptions } from '../app/ports.js';
import type { Appointment, Location, OfferedService, PostalAddress, Slot } from '../domain/authorities.js';
import { mapped, prefixMapping } from './errors.js';

const bookFieldMapping = prefixMapping({ person_id: '', idempotency_key: '', move_id: '/bundleId' });
const rescheduleFieldMapping = prefixMapping({
  new_start: '/start',
  new_location_id: '/locationId',
  appointment_id: 'appointmentId',
  person_id: '',
});
const slotQueryMapping = prefixMapping({
  from_date: 'from',
  to_date: 'to',
  service_id: 'serviceId',
  location_id: 'locationId',
});

export function fromAddress(a: common.Address | undefined): PostalAddress | undefined {
  if (!a) return undefined;
  return {
    street: a.street,
    houseNumber: a.houseNumber,
    houseNumberSuffix: a.houseNumberSuffix,
    addressAddition: a.addressAddition,
    postalCode: a.postalCode,
    municipality: a.municipality,
    municipalityKey: a.municipalityKey,
    countryCode: a.countryCode,
  };
}

const locationKinds: Record<number, Location['kind']> = {
  [contract.LocationKind.LOCATION_KIND_CITIZEN_OFFICE]: 'citizen-office',
  [contract.LocationKind.LOCATION_KIND_MOBILE_STOP]: 'mobile-stop',
  [contract.LocationKind.LOCATION_KIND_SPECIALIST_OFFICE]: 'specialist-office',
};

function toAppointment(a: contract.Appointment | undefined): Appointment {
  if (!a) throw new Error('appointment answered without an appointment');
  return {
    appointmentId: a.appointmentId,
    bookingCode: a.bookingCode,
    personId: a.personId,
    serviceId: a.serviceId,
    locationId: a.locationId,
    ...(a.start ? { start: a.start } : {}),
    ...(a.end ? { end: a.end } : {}),
    status:
      a.status === contract.AppointmentStatus.APPOINTMENT_STATUS_BOOKED
        ? 'booked'
        : a.status === contract.AppointmentStatus.APPOINTMENT_STATUS_CANCELLED
          ? 'cancelled'
          : 'unspecified',
    interpreterLanguage: a.interpreterLanguage,
    moveId: a.moveId,
  };
}

export function toSlot(s: contract.Slot): Slot {
  return {
    locationId: s.locationId,
    serviceId: s.serviceId,
    ...(s.start ? { start: s.start } : {}),
    ...(s.end ? { end: s.end } : {}),
    freeCapacity: s.freeCapacity,
  };
}

/** Appointment booking over gRPC. */
export class GrpcAppointmentAuthority implements AppointmentAuthority {
  constructor(private readonly client: contract.AppointmentServiceClient) {}

  async listLocations(serviceId: string, options: CallOptions = {}): Promise<Location[]> {
    const response = await mapped('appointment', () =>
      call(this.client, 'listLocations', { serviceId }, { idempotent: true, signal: options.signal }),
    );
    return response.locations.map((l) => {
      const address = fromAddress(l.address);
      return {
        locationId: l.locationId,
        name: l.name,
        kind: locationKinds[l.kind] ?? 'unspecified',
        ...(address ? { address } : {}),
        district: l.district,
        nextDates: l.nextDates,
        openingHours: l.openingHours,
      };
    });
  }

  async listServices(options: CallOptions = {}): Promise<OfferedService[]> {
    const response = await mapped('appointment', () =>
      call(this.client, 'listServices', {}, { idempotent: true, signal: options.signal }),
    );
    return response.services.map((s) => ({ ...s, locationIds: [...s.locationIds] }));
  }

  async listFreeSlots(
    query: { serviceId: string; locationId: string; district: string; fromDate: string; toDate: string; limit: number },
    options: CallOptions = {},
  ): Promise<Slot[]> {
    const response = await mapped(
      'appointment',
      () => call(this.client, 'listFreeSlots', query, { idempotent: true, signal: options.signal }),
      slotQueryMapping,
    );
    return response.slots.map(toSlot);
  }

  async book(command: Parameters<AppointmentAuthority['book']>[0], options: CallOptions = {}): Promise<Appointment> {
    const response = await mapped(
      'appointment',
      () => call(this.client, 'bookAppointment', command, { idempotent: true, signal: options.signal }),
      bookFieldMapping,
    );
    return toAppointment(response.appointment);
  }

  async cancel(
    command: { appointmentId: string; personId: string; reason: string },
    options: CallOptions = {},
  ): Promise<Appointment> {
    const response = await mapped('appointment', () =>
      call(this.client, 'cancelAppointment', command, { signal: options.signal }),
    );
    return toAppointment(response.appointment);
  }

  async reschedule(
    command: { appointmentId: string; personId: string; newStart: Date; newLocationId: string },
    options: CallOptions = {},
  ): Promise<Appointment> {
    const response = await mapped(
      'appointment',
      () => call(this.client, 'rescheduleAppointment', command, { signal: options.signal }),
      rescheduleFieldMapping,
    );
    return toAppointment(response.appointment);
  }

  async get(appointmentId: string, options: CallOptions = {}): Promise<Appointment> {
    const response = await mapped('appointment', () =>
      call(this.client, 'getAppointment', { appointmentId }, { idempotent: true, signal: options.signal }),
    );
    return toAppointment(response.appointment);
  }

  async calendar(appointmentId: string, options: CallOptions = {}): Promise<string> {
    const response = await mapped('appointment', () =>
      call(this.client, 'getAppointmentCalendar', { appointmentId }, { idempotent: true, signal: options.signal }),
    );
    return response.ics;
  }
}
