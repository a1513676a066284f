import { insertOnce, type OutboxEntry } from '@buergerservice/event-bus';
import type { QueryFilter } from 'mongoose';
import type { MoveCursor, MovePage, MoveRepository } from '../app/ports.js';
import type { Move } from '../domain/move.js';
import { moveFromDoc, moveToDoc } from './mapping.js';
import type { MoveDoc, RegistrationModels } from './models.js';

/** Reads never load the pending events or the relay's bookkeeping. */
const withoutOutbox = { outbox: 0, outboxLease: 0 } as const;

/**
 * Moves and their revocations. Both are only ever inserted, each with its
 * events in the same document (transactional outbox); a move's status is
 * "revoked" when a revocation with its id exists.
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

  async movesOfPersons(personIds: readonly string[]): Promise<Move[]> {
    const docs = await this.models.Move.find({ personIds: { $in: [...personIds] } }, withoutOutbox).lean();
    return this.withRevocations(docs);
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

  async listByPerson(personId: string, page: { size: number; after?: MoveCursor | undefined }): Promise<MovePage> {
    const { after } = page;
    const filter: QueryFilter<MoveDoc> = after
      ? {
          personIds: personId,
          $or: [
            { recordedAt: { $lt: after.recordedAt } },
            { recordedAt: after.recordedAt, _id: { $lt: after.moveId } },
          ],
        }
      : { personIds: personId };
    const docs = await this.models.Move.find(filter, withoutOutbox)
      .sort({ recordedAt: -1, _id: -1 })
      .limit(page.size + 1)
      .lean();
    const moves = await this.withRevocations(docs.slice(0, page.size));
    const last = moves.at(-1);
    return {
      moves,
      next: docs.length > page.size && last ? { recordedAt: last.recordedAt, moveId: last.moveId } : undefined,
    };
  }

  private async withRevocations(docs: Omit<MoveDoc, 'outbox' | 'outboxLease'>[]): Promise<Move[]> {
    if (docs.length === 0) return [];
    const revocations = await this.models.Revocation.find(
      { _id: { $in: docs.map((d) => d._id) } },
      withoutOutbox,
    ).lean();
    const byId = new Map(revocations.map((r) => [r._id, r]));
    return docs.map((doc) => moveFromDoc(doc, byId.get(doc._id)));
  }
}
