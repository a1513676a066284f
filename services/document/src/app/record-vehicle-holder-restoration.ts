import type { RestorationFact } from '../domain/move.js';
import { type ReactionOutcome, reactionOutcome } from './outcome.js';
import type { DocumentAppDeps } from './ports.js';
import { reconcileMove } from './reconcile-move.js';

export interface RecordVehicleHolderRestoration {
  moveId: string;
  fact: RestorationFact;
}

/** A holder address update was undone (VehicleHolderAddressRestored): revoke that vehicle record. */
export async function recordVehicleHolderRestoration(
  deps: DocumentAppDeps,
  command: RecordVehicleHolderRestoration,
): Promise<ReactionOutcome> {
  const recorded = await deps.moves.recordRestoration(command.moveId, command.fact);
  return reactionOutcome(recorded, await reconcileMove(deps, command.moveId));
}
