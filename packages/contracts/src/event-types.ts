import type { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import * as appointment from './gen/appointment.js';
import * as document from './gen/document.js';
import * as registration from './gen/registration.js';
import * as vehicle from './gen/vehicle.js';

/** Encoder and decoder of one protobuf message type, as ts-proto emits it. */
export interface Codec<T> {
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
  decode(input: BinaryReader | Uint8Array, length?: number): T;
  fromPartial(object: never): T;
}

/** A domain event type: its fully-qualified protobuf name and its codec. */
export interface EventType<T> {
  /** e.g. "buergerservice.registration.v1.AddressChanged"; sent as `ce_type`. */
  readonly typeName: string;
  readonly codec: Codec<T>;
}

/** The payload type of an EventType. */
export type EventPayload<E> = E extends EventType<infer T> ? T : never;

function eventType<T>(protobufPackage: string, name: string, codec: Codec<T>): EventType<T> {
  return { typeName: `${protobufPackage}.${name}`, codec };
}

/**
 * One topic per producing service and major version. The record key of every
 * event is the person id of the citizen it is about.
 */
export const Topics = {
  registration: 'registration.events.v1',
  vehicle: 'vehicle.events.v1',
  appointment: 'appointment.events.v1',
  document: 'document.events.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const RegistrationEvents = {
  AddressChanged: eventType(registration.protobufPackage, 'AddressChanged', registration.AddressChanged),
  AddressChangeRevoked: eventType(
    registration.protobufPackage,
    'AddressChangeRevoked',
    registration.AddressChangeRevoked,
  ),
  PreviousRegistrationOfficeNotified: eventType(
    registration.protobufPackage,
    'PreviousRegistrationOfficeNotified',
    registration.PreviousRegistrationOfficeNotified,
  ),
} as const;

export const VehicleEvents = {
  VehicleHolderAddressUpdated: eventType(
    vehicle.protobufPackage,
    'VehicleHolderAddressUpdated',
    vehicle.VehicleHolderAddressUpdated,
  ),
  VehicleHolderAddressUpdateRejected: eventType(
    vehicle.protobufPackage,
    'VehicleHolderAddressUpdateRejected',
    vehicle.VehicleHolderAddressUpdateRejected,
  ),
  VehicleHolderAddressRestored: eventType(
    vehicle.protobufPackage,
    'VehicleHolderAddressRestored',
    vehicle.VehicleHolderAddressRestored,
  ),
  VehicleRegistered: eventType(vehicle.protobufPackage, 'VehicleRegistered', vehicle.VehicleRegistered),
  VehicleDeregistered: eventType(vehicle.protobufPackage, 'VehicleDeregistered', vehicle.VehicleDeregistered),
} as const;

export const AppointmentEvents = {
  AppointmentBooked: eventType(appointment.protobufPackage, 'AppointmentBooked', appointment.AppointmentBooked),
  AppointmentOffered: eventType(appointment.protobufPackage, 'AppointmentOffered', appointment.AppointmentOffered),
  AppointmentCancelled: eventType(
    appointment.protobufPackage,
    'AppointmentCancelled',
    appointment.AppointmentCancelled,
  ),
  AppointmentRescheduled: eventType(
    appointment.protobufPackage,
    'AppointmentRescheduled',
    appointment.AppointmentRescheduled,
  ),
} as const;

export const DocumentEvents = {
  DocumentIssued: eventType(document.protobufPackage, 'DocumentIssued', document.DocumentIssued),
  DocumentRevoked: eventType(document.protobufPackage, 'DocumentRevoked', document.DocumentRevoked),
} as const;

/** Which event types each topic carries, for consumers and the dead-letter tool. */
export const TopicEventTypes: Record<Topic, readonly EventType<unknown>[]> = {
  [Topics.registration]: Object.values(RegistrationEvents) as EventType<unknown>[],
  [Topics.vehicle]: Object.values(VehicleEvents) as EventType<unknown>[],
  [Topics.appointment]: Object.values(AppointmentEvents) as EventType<unknown>[],
  [Topics.document]: Object.values(DocumentEvents) as EventType<unknown>[],
};

/** Looks up an event type by its fully-qualified name on any topic. */
export function findEventType(typeName: string): EventType<unknown> | undefined {
  for (const types of Object.values(TopicEventTypes)) {
    const found = types.find((t) => t.typeName === typeName);
    if (found) return found;
  }
  return undefined;
}
