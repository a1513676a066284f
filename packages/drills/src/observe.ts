import {
  AppointmentEvents,
  DocumentEvents,
  document,
  RegistrationEvents,
  Topics,
  VehicleEvents,
} from '@buergerservice/contracts';
import type { RecordedMessage } from '@buergerservice/testing';
import type { DeadLetter, ObservedEvent } from './checker.js';

/** The four event topics and the dead-letter topic of every consumer group. */
export const EVENT_TOPICS = Object.values(Topics);
export const DEAD_LETTER_TOPICS = ['registration', 'vehicle', 'appointment', 'document', 'portal-gateway'].map(
  (group) => `${group}.dlq`,
);

const KIND_NAMES: Record<number, string> = {
  [document.DocumentKind.DOCUMENT_KIND_REGISTRATION_CONFIRMATION]: 'registration-confirmation',
  [document.DocumentKind.DOCUMENT_KIND_VEHICLE_REGISTRATION_RECORD]: 'vehicle-registration-record',
  [document.DocumentKind.DOCUMENT_KIND_ID_CARD_ADDRESS_STICKER_ORDER]: 'id-card-sticker-order',
};

type Fields = Omit<ObservedEvent, 'topic' | 'type' | 'eventId' | 'correlationId'>;

/** Decoders of the payload fields the checker needs, per fully-qualified event type. */
const DECODERS: Record<string, (value: Uint8Array) => Fields> = {
  [RegistrationEvents.AddressChanged.typeName]: (v) => {
    const e = RegistrationEvents.AddressChanged.codec.decode(v);
    return { moveId: e.moveId, personId: e.personId };
  },
  [VehicleEvents.VehicleHolderAddressUpdated.typeName]: (v) => {
    const e = VehicleEvents.VehicleHolderAddressUpdated.codec.decode(v);
    return { moveId: e.moveId, personId: e.holderPersonId, plate: e.plate };
  },
  [VehicleEvents.VehicleHolderAddressUpdateRejected.typeName]: (v) => {
    const e = VehicleEvents.VehicleHolderAddressUpdateRejected.codec.decode(v);
    return { moveId: e.moveId, personId: e.personId, plate: e.plate };
  },
  [DocumentEvents.DocumentIssued.typeName]: (v) => {
    const e = DocumentEvents.DocumentIssued.codec.decode(v);
    return {
      moveId: e.moveId,
      personId: e.personId,
      documentId: e.documentId,
      documentKind: KIND_NAMES[e.kind] ?? `kind-${e.kind}`,
      ...(e.plate ? { plate: e.plate } : {}),
    };
  },
  [AppointmentEvents.AppointmentBooked.typeName]: (v) => {
    const e = AppointmentEvents.AppointmentBooked.codec.decode(v);
    return { moveId: e.moveId, personId: e.personId, appointmentId: e.appointmentId };
  },
  [AppointmentEvents.AppointmentOffered.typeName]: (v) => {
    const e = AppointmentEvents.AppointmentOffered.codec.decode(v);
    return { moveId: e.moveId, personId: e.personId };
  },
};

/** A recorded event as the checker sees it; undefined for records that are not domain events of a bundle. */
export function toObservedEvent(message: RecordedMessage): ObservedEvent | undefined {
  const typeName = message.headers.ce_type;
  const eventId = message.headers.ce_id;
  if (!typeName || !eventId || !message.value) return undefined;
  const decode = DECODERS[typeName];
  let fields: Fields = { moveId: '', personId: message.key ?? '' };
  if (decode) {
    try {
      fields = decode(message.value);
    } catch {
      // Undecodable payloads are the consumers' business (dead letters); the checker counts effects.
      return undefined;
    }
  }
  return {
    topic: message.topic,
    type: typeName.slice(typeName.lastIndexOf('.') + 1),
    eventId,
    correlationId: message.headers.ce_correlationid ?? '',
    ...fields,
  };
}

export function toDeadLetter(message: RecordedMessage): DeadLetter {
  const h = message.headers;
  return {
    topic: message.topic,
    reason: h.dlq_reason ?? '?',
    error: h.dlq_error ?? '',
    type: h.ce_type ?? '',
    correlationId: h.ce_correlationid ?? '',
  };
}
