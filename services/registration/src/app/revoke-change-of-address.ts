import { DomainError } from '../domain/errors.js';
import { type Move, personIdsOf, revokeMove } from '../domain/move.js';
import type { RegistrationDeps } from './ports.js';
import { type Present, transmit } from './transmission.js';

export interface RevokeChangeOfAddress {
  readonly clientId: string;
  readonly moveId: string;
  /** The applicant; a move of someone else reads as not found. */
  readonly personId: string;
  readonly reason: string;
}

/**
 * Revokes a move within its window (until the end of the next working day)
 * and publishes AddressChangeRevoked; every authority compensates its step.
 * Revoking a revoked move answers the same again without a second event.
 */
export async function revokeChangeOfAddress<R>(
  deps: RegistrationDeps,
  command: RevokeChangeOfAddress,
  present: Present<Move, R>,
): Promise<R> {
  const move = await revoke(deps, command);
  return transmit(
    deps,
    {
      recipient: {
        clientId: command.clientId,
        access: {
          fileReference: move.moveId,
          purpose: 'Widerruf eines Meldevorgangs: Antwort an den Antragsteller',
          actingUserId: '',
        },
      },
      operation: 'RevokeChangeOfAddress',
      personIds: personIdsOf(move),
      hits: 1,
    },
    move,
    present,
  );
}

async function revoke(deps: RegistrationDeps, command: RevokeChangeOfAddress): Promise<Move> {
  const now = deps.clock.now();
  const move = await deps.moves.findById(command.moveId);
  // Someone else's move is reported as missing: its existence is not the caller's business.
  if (!move || move.personId !== command.personId) {
    throw new DomainError('move-not-found', `move ${command.moveId} not found for person ${command.personId}`);
  }
  const { move: revoked, changed } = revokeMove(move, now, command.reason, command.clientId);
  if (!changed) return move;

  if (!(await deps.moves.markRevoked(revoked, deps.events.revoked(revoked)))) {
    const current = await deps.moves.findById(command.moveId);
    if (current?.status === 'revoked') return current; // revoked concurrently
    throw new Error(`move ${command.moveId} was neither revoked nor revocable`);
  }
  deps.eventsWritten?.();
  return revoked;
}
