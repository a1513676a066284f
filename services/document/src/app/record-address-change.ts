import type { AddressChangeFact } from '../domain/move.js';
import { type ReactionOutcome, reactionOutcome } from './outcome.js';
import type { DocumentAppDeps } from './ports.js';
import { reconcileMove } from './reconcile-move.js';

export interface RecordAddressChange {
  moveId: string;
  fact: AddressChangeFact;
}

/**
 * A move was registered (AddressChanged): remember what the citizen asked
 * for, then issue the confirmations, the sticker order and any vehicle
 * records whose holder update arrived first.
 */
export async function recordAddressChange(
  deps: DocumentAppDeps,
  command: RecordAddressChange,
): Promise<ReactionOutcome> {
  const recorded = await deps.moves.recordAddressChange(command.moveId, command.fact);
  return reactionOutcome(recorded, await reconcileMove(deps, command.moveId));
}
