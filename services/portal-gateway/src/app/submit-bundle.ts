import { platformMetrics } from '@buergerservice/telemetry';
import type { MoveCommand, PostalAddress } from '../domain/authorities.js';
import type { SubmissionRecord } from '../domain/tracker/bundle.js';
import type { AddressInput, BundleInput } from '../shared/bundle-rules.js';
import { AppError } from './errors.js';
import { authorityIdempotencyKey } from './idempotency-key.js';
import type {
  BundleListener,
  BundleRepository,
  CallOptions,
  Clock,
  RegistrationAuthority,
  StoredBundle,
} from './ports.js';

export interface SubmitBundleCommand {
  /** Allocated by the gateway for this Idempotency-Key, so a retry reuses it; becomes the correlation id. */
  readonly bundleId: string;
  readonly personId: string;
  /** The citizen's Idempotency-Key. */
  readonly idempotencyKey: string;
  readonly request: BundleInput;
}

export interface SubmitBundleDeps {
  readonly bundles: BundleRepository;
  readonly registration: RegistrationAuthority;
  readonly clock: Clock;
  readonly listener: BundleListener;
}

/** Refusals that mean "no move was recorded": the placeholder goes away. */
const REFUSED = new Set(['rejected', 'precondition-failed', 'not-found', 'conflict']);

function address(input: AddressInput): PostalAddress {
  return {
    street: input.street,
    houseNumber: input.houseNumber,
    houseNumberSuffix: input.houseNumberSuffix ?? '',
    addressAddition: input.addressAddition ?? '',
    postalCode: input.postalCode,
    municipality: input.municipality,
    municipalityKey: input.municipalityKey ?? '',
    countryCode: input.countryCode ?? 'DE',
  };
}

export function moveCommand(command: SubmitBundleCommand): MoveCommand {
  const { request } = command;
  return {
    idempotencyKey: authorityIdempotencyKey(command.personId, command.idempotencyKey, 'submit-change-of-address'),
    correlationId: command.bundleId,
    kind: request.move.kind,
    personId: command.personId,
    coMovingPersonIds: request.householdMemberIds,
    newAddress: address(request.move.newAddress),
    ...(request.move.previousAddress ? { previousAddress: address(request.move.previousAddress) } : {}),
    moveInDate: request.move.moveInDate,
    residenceType: request.move.residenceType,
    landlordConfirmationReference: request.move.landlordConfirmationReference,
    followUps: {
      vehiclePlates: request.vehiclePlates,
      documents: request.documents,
      appointment: {
        wanted: request.appointment.wanted,
        autoBook: request.appointment.wanted && request.appointment.autoBook,
        locationId: request.appointment.locationId ?? '',
        earliestDate: request.appointment.earliestDate ?? '',
        interpreterLanguage: request.appointment.interpreterLanguage ?? '',
      },
    },
  };
}

/**
 * Submits a change-of-address bundle: records the submission first (so that
 * no event of the bundle can arrive before the tracker knows its owner),
 * then asks the registration office to record the move with the bundle id as
 * correlation id. A refused move removes the submission; an unreachable
 * office leaves it (the move may have been recorded; a retry with the same
 * key reaches the same move).
 */
export async function submitBundle(
  deps: SubmitBundleDeps,
  command: SubmitBundleCommand,
  options: CallOptions = {},
): Promise<StoredBundle> {
  const { request } = command;
  const record: SubmissionRecord = {
    bundleId: command.bundleId,
    ownerPersonId: command.personId,
    submission: {
      personId: command.personId,
      memberIds: request.householdMemberIds,
      plates: request.vehiclePlates,
      documents: request.documents,
      appointment: {
        wanted: request.appointment.wanted,
        autoBook: request.appointment.wanted && request.appointment.autoBook,
      },
      submittedAt: deps.clock.now(),
    },
  };
  const existing = await deps.bundles.get(command.bundleId);
  if (existing?.ownerPersonId && existing.ownerPersonId !== command.personId) {
    throw new AppError('conflict', 'the request could not be stored; please try again');
  }
  if (await deps.bundles.saveSubmission(record)) {
    const placed = await deps.bundles.get(command.bundleId);
    if (placed) deps.listener.bundleChanged(existing, placed);
  }

  let move: Awaited<ReturnType<RegistrationAuthority['submitChangeOfAddress']>>;
  try {
    move = await deps.registration.submitChangeOfAddress(moveCommand(command), options);
  } catch (error) {
    if (error instanceof AppError && REFUSED.has(error.code)) {
      await deps.bundles.removeSubmission(command.bundleId);
      platformMetrics().bundlesSubmitted.add(1, { outcome: 'rejected' });
    }
    throw error;
  }
  platformMetrics().bundlesSubmitted.add(1, { outcome: 'accepted' });

  // The office keeps its own idempotency by key: if it had recorded this very
  // request before under another bundle id (the gateway lost its record), that
  // bundle is the citizen's request.
  let bundleId = command.bundleId;
  if (move.correlationId && move.correlationId !== command.bundleId) {
    await deps.bundles.removeSubmission(command.bundleId);
    bundleId = move.correlationId;
    await deps.bundles.saveSubmission({ ...record, bundleId });
  }
  await deps.bundles.recordMove(bundleId, move.moveId, move.revocableUntil);
  const bundle = await deps.bundles.get(bundleId);
  if (!bundle || bundle.ownerPersonId !== command.personId) {
    throw new AppError('conflict', 'the request could not be stored; please try again');
  }
  deps.listener.bundleChanged(undefined, bundle);
  return bundle;
}
