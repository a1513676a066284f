import type { BookingFact } from '../domain/move.js';
import { type ReactionOutcome, reactionOutcome } from './outcome.js';
import type { DocumentAppDeps } from './ports.js';
import { reconcileMove } from './reconcile-move.js';

export interface RecordAppointmentBooking {
  /** Empty for stand-alone bookings, which concern no document. */
  moveId: string;
  fact: BookingFact;
}

/** The sticker appointment was booked (AppointmentBooked with a move): complete the move's sticker order. */
export async function recordAppointmentBooking(
  deps: DocumentAppDeps,
  command: RecordAppointmentBooking,
): Promise<ReactionOutcome> {
  if (!command.moveId) return 'ignored';
  const recorded = await deps.moves.recordBooking(command.moveId, command.fact);
  return reactionOutcome(recorded, await reconcileMove(deps, command.moveId));
}
