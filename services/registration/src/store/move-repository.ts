import { insertOnce, type OutboxEntry } from '@buergerservice/event-bus';
import type { MoveRepository } from '../app/ports.js';
import type { Move } from '../domain/move.js';
import { moveFromDoc, moveToDoc } from './mapping.js';
import type { RegistrationModels } from './models.js';

/** Reads never load the pending events or the relay's bookkeeping. */
const withoutOutbox = { outbox: 0, outboxLease: 0 } as const;

/**
 * Moves and their revocations. Both are only ever inserted, each with its
 * events in the same document (transactional outbox); a move's status is
 * "revoked" when a revocation with its id exists. Read by id only; a
 * person's moves are found through the person's move slots.
 */
export class MongoMoveRepository implements MoveRepository {
  constructor(private readonly models: RegistrationModels) {}

  async findById(moveId: string): Promise<Move | undefined> {
    const [doc, revocation] = await Promise.all([
      this.models.Move.findById(moveId, withoutOutbox).lean(),
      this.models.Revocation.findById(moveId, withoutOutbox).lean(),
    ]);
    return doc ? moveFromDoc(doc, revocation) : undefined;
  }

  /** One lookup by id per move: on FerretDB 1.24 an `$in` query scans the whole collection. */
  async findMany(moveIds: readonly string[]): Promise<Move[]> {
    const found = await Promise.all(moveIds.map((id) => this.findById(id)));
    return found.flatMap((m) => m ?? []);
  }

  async insert(move: Move, events: readonly OutboxEntry[]): Promise<'inserted' | 'duplicate'> {
    return insertOnce(this.models.Move, { ...moveToDoc(move), outbox: [...events] });
  }

  async markRevoked(move: Move, events: readonly OutboxEntry[]): Promise<boolean> {
    const outcome = await insertOnce(this.models.Revocation, {
      _id: move.moveId,
      personId: move.personId,
      revokedAt: move.revokedAt ?? new Date(),
      reason: move.revocationReason ?? '',
      revokedBy: move.revokedBy ?? '',
      outbox: [...events],
    });
    return outcome === 'inserted';
  }
}
