import { DomainError } from '../domain/errors.js';
import { type Move, personIdsOf } from '../domain/move.js';
import type { RegistrationDeps } from './ports.js';
import { logMiss, type Present, type Recipient, transmit } from './transmission.js';

/** One recorded move, logged as a transmission of the data of everyone it covers (BMG §40). */
export async function getMove<R>(
  deps: RegistrationDeps,
  query: { readonly moveId: string; readonly recipient: Recipient },
  present: Present<Move, R>,
): Promise<R> {
  const move = await deps.moves.findById(query.moveId);
  if (!move) {
    await logMiss(deps, query.recipient, 'GetMove');
    throw new DomainError('move-not-found', `move ${query.moveId} not found`);
  }
  return transmit(
    deps,
    { recipient: query.recipient, operation: 'GetMove', personIds: personIdsOf(move), hits: 1 },
    move,
    present,
  );
}
