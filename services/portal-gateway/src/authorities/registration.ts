import { common, registration } from '@buergerservice/contracts';
import { call } from '@buergerservice/service-kit';
import type { CallOptions, RegistrationAuthority } from '../app/ports.js';
import type { MoveCommand, PostalAddress, RecordedMove } from '../domain/authorities.js';
import { mapped, prefixMapping } from './errors.js';

/** Where the registration office's field paths are in the citizen's bundle request. */
export const submitFieldMapping = prefixMapping({
  kind: '/move/kind',
  move_in_date: '/move/moveInDate',
  residence_type: '/move/residenceType',
  landlord_confirmation_reference: '/move/landlordConfirmationReference',
  new_address: '/move/newAddress',
  previous_address: '/move/previousAddress',
  co_moving_person_ids: '/householdMemberIds',
  'follow_ups.vehicle_plates': '/vehiclePlates',
  'follow_ups.documents': '/documents',
  'follow_ups.appointment': '/appointment',
  follow_ups: '',
  // The applicant is the signed-in citizen, not a field of the request.
  person_id: '',
  correlation_id: '',
  idempotency_key: '',
});

const revokeFieldMapping = prefixMapping({ reason: '/reason', move_id: '', person_id: '' });

function toAddress(a: PostalAddress): common.Address {
  return common.Address.fromPartial({
    street: a.street,
    houseNumber: a.houseNumber,
    houseNumberSuffix: a.houseNumberSuffix,
    addressAddition: a.addressAddition,
    postalCode: a.postalCode,
    municipality: a.municipality,
    municipalityKey: a.municipalityKey,
    countryCode: a.countryCode,
  });
}

const kinds = {
  'within-city': registration.MoveKind.MOVE_KIND_WITHIN_CITY,
  'into-city': registration.MoveKind.MOVE_KIND_INTO_CITY,
} as const;
const residenceTypes = {
  main: registration.ResidenceType.RESIDENCE_TYPE_MAIN,
  secondary: registration.ResidenceType.RESIDENCE_TYPE_SECONDARY,
} as const;
const documents = {
  'registration-confirmation': registration.RequestedDocument.REQUESTED_DOCUMENT_REGISTRATION_CONFIRMATION,
  'vehicle-registration-record': registration.RequestedDocument.REQUESTED_DOCUMENT_VEHICLE_REGISTRATION_RECORD,
} as const;

export function toSubmitRequest(command: MoveCommand): registration.SubmitChangeOfAddressRequest {
  return registration.SubmitChangeOfAddressRequest.fromPartial({
    idempotencyKey: command.idempotencyKey,
    correlationId: command.correlationId,
    kind: kinds[command.kind],
    personId: command.personId,
    coMovingPersonIds: [...command.coMovingPersonIds],
    newAddress: toAddress(command.newAddress),
    ...(command.previousAddress ? { previousAddress: toAddress(command.previousAddress) } : {}),
    moveInDate: command.moveInDate,
    residenceType: residenceTypes[command.residenceType],
    landlordConfirmationReference: command.landlordConfirmationReference,
    followUps: {
      vehiclePlates: [...command.followUps.vehiclePlates],
      documents: command.followUps.documents.map((d) => documents[d]),
      appointment: { ...command.followUps.appointment },
    },
  });
}

function toRecordedMove(move: registration.Move | undefined): RecordedMove {
  if (!move) throw new Error('registration answered without a move');
  return {
    moveId: move.moveId,
    correlationId: move.correlationId,
    personId: move.personId,
    status:
      move.status === registration.MoveStatus.MOVE_STATUS_RECORDED
        ? 'recorded'
        : move.status === registration.MoveStatus.MOVE_STATUS_REVOKED
          ? 'revoked'
          : 'unspecified',
    ...(move.recordedAt ? { recordedAt: move.recordedAt } : {}),
    ...(move.revocableUntil ? { revocableUntil: move.revocableUntil } : {}),
  };
}

/** The registration office over gRPC. */
export class GrpcRegistrationAuthority implements RegistrationAuthority {
  constructor(private readonly client: registration.RegistrationServiceClient) {}

  async submitChangeOfAddress(command: MoveCommand, options: CallOptions = {}): Promise<RecordedMove> {
    // Idempotent by its key, so retries after UNAVAILABLE are safe.
    const response = await mapped(
      'registration',
      () =>
        call(this.client, 'submitChangeOfAddress', toSubmitRequest(command), {
          idempotent: true,
          signal: options.signal,
        }),
      submitFieldMapping,
    );
    return toRecordedMove(response.move);
  }

  async revokeChangeOfAddress(
    command: { moveId: string; personId: string; reason: string },
    options: CallOptions = {},
  ): Promise<RecordedMove> {
    const response = await mapped(
      'registration',
      () =>
        call(this.client, 'revokeChangeOfAddress', registration.RevokeChangeOfAddressRequest.fromPartial(command), {
          signal: options.signal,
        }),
      revokeFieldMapping,
    );
    return toRecordedMove(response.move);
  }
}
