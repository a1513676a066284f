import { applyOnce, isDuplicateKeyError, withOutbox } from '@buergerservice/event-bus';
import type { EventContext, MoveRecord, MoveRepository, PlateRejection, Revocation } from '../app/ports.js';
import type { VehicleDomainEvent } from '../domain/events.js';
import { toOutboxEntry } from '../events/codec.js';
import type { MoveDocument, VehicleModels } from './models.js';

function recordOf(doc: MoveDocument): MoveRecord {
  return {
    moveId: doc._id,
    applicantId: doc.applicantId,
    rejectedPlates: (doc.rejections ?? []).map((r) => r.plate),
    ...(doc.revocation
      ? {
          revocation: {
            eventId: doc.revocation.eventId,
            correlationId: doc.revocation.correlationId,
            applicantId: doc.revocation.applicantId,
            revokedAt: doc.revocation.revokedAt,
          },
        }
      : {}),
  };
}

const RECORD_FIELDS = '-outbox';

/** The per-move reaction records on MongoDB / FerretDB (collection move_reactions, `_id` = move id). */
export class MongoMoveRepository implements MoveRepository {
  constructor(
    private readonly models: VehicleModels,
    private readonly topic: string,
  ) {}

  private async create(moveId: string, applicantId: string): Promise<void> {
    try {
      await this.models.Moves.updateOne(
        { _id: moveId },
        { $setOnInsert: { applicantId, rejections: [], revocation: null, createdAt: new Date() } },
        { upsert: true },
      );
    } catch (error) {
      // Two reactions creating the record at once: one insert wins, which is all that is needed.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  async open(moveId: string, applicantId: string): Promise<MoveRecord> {
    await this.create(moveId, applicantId);
    const doc = await this.models.Moves.findById(moveId).select(RECORD_FIELDS).lean<MoveDocument>();
    if (!doc) throw new Error(`move record ${moveId} vanished after it was created`);
    return recordOf(doc);
  }

  async get(moveId: string): Promise<MoveRecord | undefined> {
    const doc = await this.models.Moves.findById(moveId).select(RECORD_FIELDS).lean<MoveDocument>();
    return doc ? recordOf(doc) : undefined;
  }

  async recordRejections(
    moveId: string,
    rejections: readonly PlateRejection[],
    events: readonly VehicleDomainEvent[],
    context: EventContext,
    handledEventId: string,
  ): Promise<'saved' | 'duplicate'> {
    const at = new Date();
    const update = withOutbox(
      { $push: { rejections: { $each: rejections.map((r) => ({ ...r, at })) } } },
      ...events.map((e) => toOutboxEntry(e, context, this.topic)),
    );
    // The plates condition makes a concurrent second delivery (another event id) a no-op as well.
    const filter = { _id: moveId, 'rejections.plate': { $nin: rejections.map((r) => r.plate) } };
    const outcome = await applyOnce(this.models.Moves, filter, handledEventId, update);
    return outcome === 'applied' ? 'saved' : 'duplicate';
  }

  async recordRevocation(moveId: string, revocation: Revocation): Promise<MoveRecord> {
    await this.create(moveId, revocation.applicantId);
    // Only the first revocation is kept: later ones (redelivered, republished) change nothing.
    await this.models.Moves.updateOne({ _id: moveId, revocation: null }, { $set: { revocation } });
    const doc = await this.models.Moves.findById(moveId).select(RECORD_FIELDS).lean<MoveDocument>();
    if (!doc) throw new Error(`move record ${moveId} vanished after it was created`);
    return recordOf(doc);
  }
}
