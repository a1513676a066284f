import { restoreMove } from './restore-move.js';
import type { VehicleAppDeps } from './ports.js';

export interface MoveRevokedCommand {
  readonly moveId: string;
  readonly applicantId: string;
  /** The AddressChangeRevoked event: its id is the causation id of the compensations. */
  readonly eventId: string;
  readonly correlationId: string;
}

export interface MoveRevokedResult {
  /** Plates whose holder address was restored now. */
  readonly restored: readonly string[];
}

/**
 * Compensation of a revoked move (AddressChangeRevoked). First the
 * revocation is recorded on the move (a tombstone), then every vehicle the
 * move changed is restored. The tombstone makes the order of events
 * irrelevant: an AddressChanged of this move that arrives later (a replay, a
 * redelivery) finds it and changes nothing. A revocation of a move that never
 * changed a vehicle here leaves only the tombstone and raises nothing.
 */
export async function revokeHolderAddressUpdates(
  deps: VehicleAppDeps,
  command: MoveRevokedCommand,
): Promise<MoveRevokedResult> {
  const record = await deps.moves.recordRevocation(command.moveId, {
    eventId: command.eventId,
    correlationId: command.correlationId,
    applicantId: command.applicantId,
    revokedAt: deps.clock.now(),
  });
  // The first revocation recorded is the one compensated under, so that a
  // second revocation event of the same move causes nothing new.
  const revocation = record.revocation ?? {
    eventId: command.eventId,
    correlationId: command.correlationId,
    applicantId: command.applicantId,
    revokedAt: deps.clock.now(),
  };
  return { restored: await restoreMove(deps, command.moveId, revocation) };
}
