import { randomUUID } from 'node:crypto';
import { appointment, type EventType, registration, vehicle } from '@buergerservice/contracts';
import { encodeEvent, type EventBus } from '@buergerservice/event-bus';

/** Publishes one event the way its producing service would (CloudEvents headers, key = subject). */
export async function publish<T>(
  bus: EventBus,
  type: EventType<T>,
  payload: T,
  meta: { subject: string; correlationId: string; id?: string },
): Promise<string> {
  const id = meta.id ?? randomUUID();
  const event = encodeEvent(type, payload, { ...meta, id, causationId: `request-${id}` });
  await bus.publishAll([event]);
  return id;
}

export const LEIPZIG_ADDRESS = {
  street: 'Eisenbahnstraße',
  houseNumber: '101',
  houseNumberSuffix: 'b',
  addressAddition: '',
  postalCode: '04315',
  municipality: 'Leipzig',
  municipalityKey: '14713000',
  streetKey: '03010',
  district: 'Volkmarsdorf',
  countryCode: 'DE',
};

export interface HouseholdMember {
  personId: string;
  familyName: string;
  givenNames: string;
}

export function addressChanged(input: {
  moveId: string;
  applicant: string;
  persons: HouseholdMember[];
  documents?: registration.RequestedDocument[];
  appointmentWanted?: boolean;
  kind?: registration.MoveKind;
}): registration.AddressChanged {
  return registration.AddressChanged.fromPartial({
    moveId: input.moveId,
    kind: input.kind ?? registration.MoveKind.MOVE_KIND_WITHIN_CITY,
    personId: input.applicant,
    persons: input.persons.map((p) => ({
      personId: p.personId,
      name: { familyName: p.familyName, givenNames: p.givenNames, doctoralDegree: '' },
    })),
    newAddress: LEIPZIG_ADDRESS,
    moveInDate: '2026-03-01',
    residenceType: registration.ResidenceType.RESIDENCE_TYPE_MAIN,
    followUps: {
      vehiclePlates: [],
      documents: input.documents ?? [registration.RequestedDocument.REQUESTED_DOCUMENT_REGISTRATION_CONFIRMATION],
      appointment: { wanted: input.appointmentWanted ?? false },
    },
  });
}

export function holderAddressUpdated(
  moveId: string,
  plate: string,
  holder: string,
): vehicle.VehicleHolderAddressUpdated {
  return vehicle.VehicleHolderAddressUpdated.fromPartial({
    moveId,
    plate,
    holderPersonId: holder,
    newHolderAddress: LEIPZIG_ADDRESS,
    previousRegistrationDistrict: 'Leipzig',
    newRegistrationDistrict: 'Leipzig',
  });
}

export function appointmentBooked(moveId: string, personId: string): appointment.AppointmentBooked {
  return appointment.AppointmentBooked.fromPartial({
    appointmentId: `A-${moveId}`,
    personId,
    serviceId: 'id-card-address-sticker',
    locationId: 'buergerbuero-ost',
    start: new Date('2026-03-05T08:00:00Z'),
    end: new Date('2026-03-05T08:15:00Z'),
    moveId,
  });
}
