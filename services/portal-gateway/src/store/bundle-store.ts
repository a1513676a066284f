import { applyOnce, idempotencyPlugin, insertOnce, type WithProcessedEvents } from '@buergerservice/event-bus';
import { type Connection, type Model, Schema } from 'mongoose';
import type { BundleRepository, ModifyResult, StoredBundle } from '../app/ports.js';
import type { BundleFacts } from '../domain/tracker/facts.js';
import type { BundleView, SubmissionSummary } from '../domain/tracker/view.js';
import { KeyedMutex } from './keyed-mutex.js';

/**
 * The request tracker's read model: one document per bundle, `_id` = bundle id
 * = correlation id. The facts are kept as JSON text: their keys are plates and
 * document ids, which are not safe as field names everywhere; the view (what
 * the page shows) is a plain subdocument, readable by operators.
 */
interface BundleDocument extends WithProcessedEvents {
  _id: string;
  ownerPersonId?: string | null;
  moveId?: string | null;
  submission?: (SubmissionSummary & { submittedAt: Date }) | null;
  revocableUntil?: Date | null;
  factsJson: string;
  view: BundleView;
  status: string;
  complete: boolean;
  eventCount: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<BundleDocument>(
  {
    _id: { type: String, required: true },
    ownerPersonId: { type: String },
    moveId: { type: String },
    submission: { type: Schema.Types.Mixed },
    revocableUntil: { type: Date },
    factsJson: { type: String, required: true },
    view: { type: Schema.Types.Mixed, required: true },
    status: { type: String, required: true },
    complete: { type: Boolean, required: true },
    eventCount: { type: Number, required: true },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'bundles', versionKey: false, minimize: false },
);
schema.plugin(idempotencyPlugin);
schema.index({ ownerPersonId: 1, createdAt: -1 });
schema.index({ moveId: 1 });

export type BundleModel = Model<BundleDocument>;

export function bundleModel(connection: Connection): BundleModel {
  return connection.models.Bundle ?? connection.model<BundleDocument>('Bundle', schema);
}

function toStored(doc: BundleDocument): StoredBundle {
  const submission = doc.submission
    ? { ...doc.submission, submittedAt: new Date(doc.submission.submittedAt) }
    : undefined;
  return {
    bundleId: doc._id,
    ...(doc.ownerPersonId ? { ownerPersonId: doc.ownerPersonId } : {}),
    ...(submission ? { submission } : {}),
    ...(doc.revocableUntil ? { revocableUntil: doc.revocableUntil } : {}),
    facts: JSON.parse(doc.factsJson) as BundleFacts,
    view: doc.view,
    eventCount: doc.eventCount,
    createdAt: doc.createdAt,
  };
}

function fields(bundle: StoredBundle, now: Date) {
  return {
    ownerPersonId: bundle.ownerPersonId ?? null,
    moveId: bundle.facts.moveId ?? null,
    submission: bundle.submission ?? null,
    revocableUntil: bundle.revocableUntil ?? null,
    factsJson: JSON.stringify(bundle.facts),
    view: bundle.view,
    status: bundle.view.status,
    complete: bundle.view.complete,
    eventCount: bundle.eventCount,
    updatedAt: now,
  };
}

/** Optimistic-concurrency attempts before giving up (the consumer then retries the event). */
const MAX_ATTEMPTS = 20;

export class MongoBundleRepository implements BundleRepository {
  private readonly writes = new KeyedMutex();

  constructor(
    private readonly model: BundleModel,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async init(): Promise<void> {
    await this.model.init();
  }

  /**
   * Read, change in memory (pure domain code), write back on the condition
   * that nobody wrote in between (`version`) — one single-document write,
   * which with an event id is `applyOnce`: the id is recorded in the same
   * write, so a redelivered event is a no-op. No transactions needed.
   */
  async modify(
    bundleId: string,
    change: (current: StoredBundle | undefined) => StoredBundle | undefined,
    eventId?: string,
  ): Promise<ModifyResult> {
    return this.writes.run(bundleId, () => this.modifyNow(bundleId, change, eventId));
  }

  private async modifyNow(
    bundleId: string,
    change: (current: StoredBundle | undefined) => StoredBundle | undefined,
    eventId: string | undefined,
  ): Promise<ModifyResult> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const doc = await this.model.findById(bundleId).select('+processedEventIds').lean<BundleDocument>().exec();
      if (eventId && doc?.processedEventIds?.includes(eventId)) {
        return { outcome: 'duplicate', before: toStored(doc) };
      }
      const before = doc ? toStored(doc) : undefined;
      const after = change(before);
      if (!after) return { outcome: 'ignored', ...(before ? { before } : {}) };
      const now = this.now();
      if (!doc) {
        const inserted = await insertOnce(this.model, {
          _id: bundleId,
          ...fields(after, now),
          createdAt: after.createdAt,
          version: 1,
          processedEventIds: eventId ? [eventId] : [],
        });
        if (inserted === 'inserted') return { outcome: 'applied', after };
        continue; // created meanwhile: read again
      }
      const filter = { _id: bundleId, version: doc.version };
      const update = { $set: fields(after, now), $inc: { version: 1 } };
      if (eventId) {
        const outcome = await applyOnce(this.model, filter, eventId, update);
        if (outcome === 'applied') return { outcome: 'applied', before: before as StoredBundle, after };
        // "duplicate" here cannot be (checked above at this version); "not-found": changed meanwhile.
      } else {
        const result = await this.model.updateOne(filter, update).exec();
        if (result.matchedCount === 1) return { outcome: 'applied', before: before as StoredBundle, after };
      }
    }
    throw new Error(`bundle ${bundleId}: too many concurrent changes`);
  }

  async get(bundleId: string): Promise<StoredBundle | undefined> {
    const doc = await this.model.findById(bundleId).lean<BundleDocument>().exec();
    return doc ? toStored(doc) : undefined;
  }

  async findByMoveId(moveId: string): Promise<StoredBundle | undefined> {
    const doc = await this.model.findOne({ moveId }).sort({ createdAt: 1 }).lean<BundleDocument>().exec();
    return doc ? toStored(doc) : undefined;
  }

  async listByOwner(personId: string, limit: number): Promise<StoredBundle[]> {
    const docs = await this.model
      .find({ ownerPersonId: personId })
      .sort({ createdAt: -1 })
      .limit(limit)
      .lean<BundleDocument[]>()
      .exec();
    return docs.map(toStored);
  }

  async removePlaceholder(bundleId: string): Promise<boolean> {
    return this.writes.run(bundleId, () => this.removeNow(bundleId));
  }

  private async removeNow(bundleId: string): Promise<boolean> {
    const result = await this.model.deleteOne({ _id: bundleId, eventCount: 0 }).exec();
    return result.deletedCount === 1;
  }

  /** Reads a bundle's version (for the live stream's cheap change check). */
  async version(bundleId: string): Promise<number | undefined> {
    const doc = await this.model.findById(bundleId).select('version').lean<{ version: number }>().exec();
    return doc?.version;
  }
}
