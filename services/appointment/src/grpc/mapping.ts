import { appointment } from '@buergerservice/contracts';
import type { LocationView } from '../app/list-locations.js';
import type { FreeSlot } from '../app/slot-search.js';
import type { AppointmentData } from '../domain/appointment.js';
import type { LocationKind, Service } from '../domain/catalogue.js';
import type { InvitationData } from '../domain/invitation.js';

/** Domain values -> contract messages (generated types stay in grpc/ and events/). */

const KIND: Readonly<Record<LocationKind, appointment.LocationKind>> = {
  'citizen-office': appointment.LocationKind.LOCATION_KIND_CITIZEN_OFFICE,
  'mobile-stop': appointment.LocationKind.LOCATION_KIND_MOBILE_STOP,
  'specialist-office': appointment.LocationKind.LOCATION_KIND_SPECIALIST_OFFICE,
};

export function toLocation({ location, nextDates, openingHours }: LocationView): appointment.Location {
  const { address } = location;
  return {
    locationId: location.id,
    name: location.name,
    kind: KIND[location.kind],
    address: {
      street: address.street,
      houseNumber: address.houseNumber,
      houseNumberSuffix: address.houseNumberSuffix,
      addressAddition: '',
      postalCode: address.postalCode,
      municipality: address.municipality,
      municipalityKey: address.municipalityKey,
      streetKey: '',
      district: address.district,
      countryCode: 'DE',
    },
    district: address.district,
    nextDates,
    openingHours,
  };
}

export function toOfferedService(service: Service): appointment.OfferedService {
  return {
    serviceId: service.id,
    name: service.name,
    durationMinutes: service.durationMinutes,
    locationIds: [...service.locationIds],
    invitationOnly: service.invitationOnly,
    interpreterAvailable: service.interpreterAvailable,
  };
}

export function toSlot(slot: FreeSlot): appointment.Slot {
  return {
    locationId: slot.locationId,
    serviceId: slot.serviceId,
    start: slot.start,
    end: slot.end,
    freeCapacity: slot.free,
  };
}

export function toAppointment(data: AppointmentData): appointment.Appointment {
  return {
    appointmentId: data.id,
    bookingCode: data.bookingCode,
    personId: data.personId,
    serviceId: data.serviceId,
    locationId: data.slot.locationId,
    start: data.slot.start,
    end: data.slot.end,
    status:
      data.state === 'cancelled'
        ? appointment.AppointmentStatus.APPOINTMENT_STATUS_CANCELLED
        : appointment.AppointmentStatus.APPOINTMENT_STATUS_BOOKED,
    interpreterLanguage: data.interpreterLanguage,
    moveId: data.moveId,
  };
}

export function toInvitation(data: InvitationData): appointment.Invitation {
  return {
    invitationCode: data.code,
    personId: data.personId,
    serviceId: data.serviceId,
    validUntil: data.validUntil,
    invitingAuthority: data.authorityId,
    used: data.usedBy !== null,
  };
}
