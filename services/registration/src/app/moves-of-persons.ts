import type { Move } from '../domain/move.js';
import type { MoveCursor, MovePage, MoveSlot, RegistrationDeps } from './ports.js';

/**
 * Every move (any status) covering one of the persons, found through their
 * move slots by id lookups only. (FerretDB 1.24 answers any query other
 * than an _id equality by scanning the whole collection.) A slot whose move
 * does not exist or does not cover its person — an attempt that failed —
 * is ignored.
 */
export async function movesOfPersons(
  deps: Pick<RegistrationDeps, 'slots' | 'moves'>,
  personIds: readonly string[],
): Promise<{ moves: Move[]; slots: Map<string, MoveSlot[]> }> {
  const slots = new Map<string, MoveSlot[]>(
    await Promise.all(personIds.map(async (id) => [id, await deps.slots.of(id)] as [string, MoveSlot[]])),
  );
  const moveIds = [...new Set([...slots.values()].flat().map((s) => s.moveId))];
  const found = await deps.moves.findMany(moveIds);
  const moves = found.filter((move) =>
    move.persons.some((p) => slots.get(p.personId)?.some((s) => s.moveId === move.moveId)),
  );
  return { moves, slots };
}

/** A page of a person's moves, newest first (recorded time, then id). */
export function pageOf(moves: readonly Move[], size: number, after?: MoveCursor): MovePage {
  const sorted = [...moves].sort(
    (a, b) =>
      b.recordedAt.getTime() - a.recordedAt.getTime() || (a.moveId < b.moveId ? 1 : a.moveId > b.moveId ? -1 : 0),
  );
  const rest = after
    ? sorted.filter(
        (m) =>
          m.recordedAt.getTime() < after.recordedAt.getTime() ||
          (m.recordedAt.getTime() === after.recordedAt.getTime() && m.moveId < after.moveId),
      )
    : sorted;
  const page = rest.slice(0, size);
  const last = page.at(-1);
  return {
    moves: page,
    next: rest.length > size && last ? { recordedAt: last.recordedAt, moveId: last.moveId } : undefined,
  };
}
