import type { VehicleDomainEvent } from '../domain/events.js';
import type { MoveNotice } from '../domain/move.js';
import { parsePlate } from '../domain/plate.js';
import type { RejectionReason } from '../domain/rejection.js';
import { holderUpdateRejected } from '../domain/vehicle.js';
import { changeVehicle } from './optimistic.js';
import type { EventContext, MoveRecord, PlateRejection, VehicleAppDeps } from './ports.js';
import { restoreMove } from './restore-move.js';

export interface MoveRecordedCommand {
  readonly move: MoveNotice;
  /** The AddressChanged event: its id is recorded as handled and is the causation id of the reactions. */
  readonly eventId: string;
  readonly correlationId: string;
}

export interface MoveRecordedResult {
  readonly updated: readonly string[];
  readonly rejected: readonly PlateRejection[];
  /** Plates this move was handled for before (a redelivery): nothing new for them. */
  readonly alreadyHandled: readonly string[];
  /** True when the move had been revoked before its AddressChanged arrived: nothing was done. */
  readonly revokedBefore: boolean;
  /** Plates restored at once because the revocation arrived while this reaction ran. */
  readonly compensated: readonly string[];
}

type PlateOutcome = { kind: 'updated' } | { kind: 'already-handled' } | { kind: 'rejected'; reason: RejectionReason };

/**
 * Reaction to AddressChanged: for each plate the citizen asked to
 * re-register, update the holder address (VehicleHolderAddressUpdated) or
 * say why not (VehicleHolderAddressUpdateRejected).
 *
 * Exactly once in effect: each vehicle's update, the handled event id and the
 * update's outbox entry are one document write; the rejections of the event
 * and their outbox entries one write on the move's record. A redelivery finds
 * the move on the vehicle or the plate among the move's rejections and writes
 * nothing.
 *
 * Ordering: a move revoked before this event arrived is not applied (the
 * tombstone). A revocation that arrives while this runs is caught by reading
 * the tombstone again after the writes: whichever of the two reactions writes
 * last sees the other's write, so the vehicles end restored either way.
 */
export async function updateHolderAddresses(
  deps: VehicleAppDeps,
  command: MoveRecordedCommand,
): Promise<MoveRecordedResult> {
  const { move, eventId } = command;
  const result = { updated: [] as string[], rejected: [] as PlateRejection[], alreadyHandled: [] as string[] };
  const plates = distinctPlates(move.plates);
  if (plates.length === 0) return { ...result, revokedBefore: false, compensated: [] };

  const record = await deps.moves.open(move.moveId, move.applicantId);
  if (record.revocation) return { ...result, revokedBefore: true, compensated: [] };

  const context: EventContext = { key: move.applicantId, correlationId: command.correlationId, causationId: eventId };
  for (const { key, text } of plates) {
    if (record.rejectedPlates.includes(key)) {
      result.alreadyHandled.push(key);
      continue;
    }
    const outcome: PlateOutcome =
      text === undefined
        ? { kind: 'rejected', reason: 'invalid-plate' }
        : await updateOne(deps, move, text, context, eventId);
    if (outcome.kind === 'updated') result.updated.push(key);
    else if (outcome.kind === 'already-handled') result.alreadyHandled.push(key);
    else result.rejected.push({ plate: key, reason: outcome.reason });
  }

  if (result.rejected.length > 0) {
    const events: VehicleDomainEvent[] = result.rejected.map((r) => holderUpdateRejected(move, r.plate, r.reason));
    const written = await deps.moves.recordRejections(move.moveId, result.rejected, events, context, eventId);
    if (written === 'duplicate') {
      result.alreadyHandled.push(...result.rejected.map((r) => r.plate));
      result.rejected = [];
    }
  }

  // Also after a redelivery (nothing updated now): the first delivery may have
  // died between its vehicle writes and this check.
  const touched = result.updated.length > 0 || result.alreadyHandled.length > 0;
  const compensated = touched ? await compensateIfRevokedMeanwhile(deps, move.moveId) : [];
  return { ...result, revokedBefore: false, compensated };
}

/** The plates of the request, normalised and without repetitions; invalid inputs are kept (trimmed) to be rejected. */
function distinctPlates(inputs: readonly string[]): { key: string; text: string | undefined }[] {
  const seen = new Map<string, string | undefined>();
  for (const input of inputs) {
    const parsed = parsePlate(input);
    const key = parsed.ok ? parsed.plate.text : input.trim();
    if (!seen.has(key)) seen.set(key, parsed.ok ? parsed.plate.text : undefined);
  }
  return [...seen].map(([key, text]) => ({ key, text }));
}

async function updateOne(
  deps: VehicleAppDeps,
  move: MoveNotice,
  plate: string,
  context: EventContext,
  eventId: string,
): Promise<PlateOutcome> {
  return changeVehicle<PlateOutcome>(deps, plate, 'update holder address', async () => {
    const stored = await deps.vehicles.findByPlate(plate);
    if (!stored) return { conflict: false, value: { kind: 'rejected', reason: 'not-found' } };
    const outcome = stored.vehicle.reactToMove(move, deps.jurisdiction, deps.clock.now());
    if (outcome.kind !== 'updated') return { conflict: false, value: outcome };
    const saved = await deps.vehicles.save(stored.vehicle, stored.version, [outcome.event], context, eventId);
    if (saved === 'conflict') return { conflict: true };
    return { conflict: false, value: saved === 'saved' ? { kind: 'updated' } : { kind: 'already-handled' } };
  });
}

async function compensateIfRevokedMeanwhile(deps: VehicleAppDeps, moveId: string): Promise<string[]> {
  const after: MoveRecord | undefined = await deps.moves.get(moveId);
  return after?.revocation ? restoreMove(deps, moveId, after.revocation) : [];
}
