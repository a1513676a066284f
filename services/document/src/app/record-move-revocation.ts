import type { Cause } from '../domain/document.js';
import { type ReactionOutcome, reactionOutcome } from './outcome.js';
import type { DocumentAppDeps } from './ports.js';
import { reconcileMove } from './reconcile-move.js';

export interface RecordMoveRevocation {
  moveId: string;
  cause: Cause;
}

/**
 * The move was revoked (AddressChangeRevoked): revoke every document of the
 * move and publish DocumentRevoked for each. Kept as a fact, so documents
 * whose trigger arrives later (another topic lagging) are revoked at once.
 */
export async function recordMoveRevocation(
  deps: DocumentAppDeps,
  command: RecordMoveRevocation,
): Promise<ReactionOutcome> {
  const recorded = await deps.moves.recordRevocation(command.moveId, command.cause);
  return reactionOutcome(recorded, await reconcileMove(deps, command.moveId));
}
