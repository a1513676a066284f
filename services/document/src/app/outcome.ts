import type { RecordOutcome } from './ports.js';
import type { ReconcileResult } from './reconcile-move.js';

/**
 * What an event reaction reports to the consumer (counted in the metrics):
 * "duplicate" when the fact was known and nothing was left to do; "ignored"
 * when the event concerns no document.
 */
export type ReactionOutcome = 'applied' | 'duplicate' | 'ignored';

export function reactionOutcome(recorded: RecordOutcome, reconciled: ReconcileResult): ReactionOutcome {
  const changed = reconciled.created + reconciled.completed + reconciled.revoked > 0;
  return recorded === 'recorded' || changed ? 'applied' : 'duplicate';
}
