import { personIdsOf } from '../domain/move.js';
import { movesOfPersons, pageOf } from './moves-of-persons.js';
import type { MoveCursor, MovePage, RegistrationDeps } from './ports.js';
import { type Present, type Recipient, transmit } from './transmission.js';

export interface ListMoves {
  readonly personId: string;
  readonly pageSize: number;
  readonly after?: MoveCursor | undefined;
  readonly recipient: Recipient;
}

/** The moves covering a person, newest first, logged with everyone they cover (BMG §40). */
export async function listMoves<R>(
  deps: RegistrationDeps,
  query: ListMoves,
  present: Present<MovePage, R>,
): Promise<R> {
  const { moves } = await movesOfPersons(deps, [query.personId]);
  const page = pageOf(moves, query.pageSize, query.after);
  return transmit(
    deps,
    {
      recipient: query.recipient,
      operation: 'ListMoves',
      personIds: page.moves.flatMap(personIdsOf),
      hits: page.moves.length,
    },
    page,
    present,
  );
}
