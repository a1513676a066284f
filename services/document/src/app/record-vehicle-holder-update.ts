import type { VehicleUpdateFact } from '../domain/move.js';
import { type ReactionOutcome, reactionOutcome } from './outcome.js';
import type { DocumentAppDeps } from './ports.js';
import { reconcileMove } from './reconcile-move.js';

export interface RecordVehicleHolderUpdate {
  moveId: string;
  fact: VehicleUpdateFact;
}

/**
 * A vehicle's holder address was updated (VehicleHolderAddressUpdated):
 * issue the vehicle record if the move asked for one. Arriving before the
 * move's AddressChanged (a different topic), the update waits in the move's
 * facts and the record is issued when the move becomes known.
 */
export async function recordVehicleHolderUpdate(
  deps: DocumentAppDeps,
  command: RecordVehicleHolderUpdate,
): Promise<ReactionOutcome> {
  const recorded = await deps.moves.recordVehicleUpdate(command.moveId, command.fact);
  return reactionOutcome(recorded, await reconcileMove(deps, command.moveId));
}
