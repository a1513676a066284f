import { insertOnce } from '@buergerservice/event-bus';
import { type Connection, type Model, Schema } from 'mongoose';
import type { BundleRepository, RecordOutcome, StoredBundle } from '../app/ports.js';
import { composeBundle, type SubmissionRecord } from '../domain/tracker/bundle.js';
import type { TrackerEvent } from '../domain/tracker/events.js';
import type { SubmissionSummary } from '../domain/tracker/view.js';
import { KeyedMutex } from './keyed-mutex.js';

/**
 * The request tracker's read model, insert-only:
 *
 * - `bundle_submissions`: one document per bundle submitted at the portal
 *   (`_id` = bundle id = correlation id): the owner, what was asked for, and
 *   the registration office's answer (move id, revocation deadline).
 * - `tracker_events`: one document per event of a bundle (`_id` = event id):
 *   the event in the tracker's terms. Recording an event is one insert with
 *   a unique `_id`, so a redelivered event is a duplicate key and changes
 *   nothing (`insertOnce`), without any update of a shared document.
 *
 * Why not one document per bundle updated by `applyOnce`: the events of one
 * bundle arrive on four topics whose partitions the consumer group spreads
 * over all replicas, so several writers would update the same document
 * concurrently, and FerretDB 1.x does not apply concurrent conditional updates
 * atomically (lost updates, measured). Inserts of distinct documents are
 * atomic everywhere. The bundle is composed when read: the facts are an
 * order-independent fold of its events (domain/tracker/facts.ts).
 */

interface SubmissionDocument {
  _id: string;
  ownerPersonId: string;
  submission: SubmissionSummary & { submittedAt: Date };
  moveId?: string | null;
  revocableUntil?: Date | null;
  createdAt: Date;
}

interface EventDocument {
  /** The event id. */
  _id: string;
  bundleId: string;
  moveId: string;
  /** The applicant, on AddressChanged only: makes rebuilt bundles findable by their owner. */
  ownerPersonId?: string | null;
  event: TrackerEvent;
  recordedAt: Date;
}

const submissionSchema = new Schema<SubmissionDocument>(
  {
    _id: { type: String, required: true },
    ownerPersonId: { type: String, required: true },
    submission: { type: Schema.Types.Mixed, required: true },
    moveId: { type: String },
    revocableUntil: { type: Date },
    createdAt: { type: Date, required: true },
  },
  { collection: 'bundle_submissions', versionKey: false, minimize: false },
);
submissionSchema.index({ ownerPersonId: 1, createdAt: -1 });
submissionSchema.index({ moveId: 1 });

const eventSchema = new Schema<EventDocument>(
  {
    _id: { type: String, required: true },
    bundleId: { type: String, required: true },
    moveId: { type: String, required: true },
    ownerPersonId: { type: String },
    event: { type: Schema.Types.Mixed, required: true },
    recordedAt: { type: Date, required: true },
  },
  { collection: 'tracker_events', versionKey: false, minimize: false },
);
eventSchema.index({ bundleId: 1 });
eventSchema.index({ moveId: 1 });
eventSchema.index({ ownerPersonId: 1 });

export interface TrackerModels {
  readonly submissions: Model<SubmissionDocument>;
  readonly events: Model<EventDocument>;
}

export function trackerModels(connection: Connection): TrackerModels {
  return {
    submissions:
      (connection.models.BundleSubmission as Model<SubmissionDocument> | undefined) ??
      connection.model<SubmissionDocument>('BundleSubmission', submissionSchema),
    events:
      (connection.models.TrackerEvent as Model<EventDocument> | undefined) ??
      connection.model<EventDocument>('TrackerEvent', eventSchema),
  };
}

function toRecord(doc: SubmissionDocument): SubmissionRecord {
  return {
    bundleId: doc._id,
    ownerPersonId: doc.ownerPersonId,
    submission: { ...doc.submission, submittedAt: new Date(doc.submission.submittedAt) },
    ...(doc.moveId ? { moveId: doc.moveId } : {}),
    ...(doc.revocableUntil ? { revocableUntil: doc.revocableUntil } : {}),
  };
}

export class MongoBundleRepository implements BundleRepository {
  /** The submission record is written by the submitting request only; a retry of it must not race it. */
  private readonly submissionWrites = new KeyedMutex();

  constructor(
    private readonly models: TrackerModels,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async init(): Promise<void> {
    await Promise.all([this.models.submissions.init(), this.models.events.init()]);
  }

  async saveSubmission(record: SubmissionRecord): Promise<boolean> {
    const outcome = await insertOnce(this.models.submissions, {
      _id: record.bundleId,
      ownerPersonId: record.ownerPersonId,
      submission: record.submission,
      moveId: record.moveId ?? null,
      revocableUntil: record.revocableUntil ?? null,
      createdAt: record.submission.submittedAt,
    });
    return outcome === 'inserted';
  }

  async recordMove(bundleId: string, moveId: string, revocableUntil?: Date): Promise<void> {
    await this.submissionWrites.run(bundleId, async () => {
      await this.models.submissions
        .updateOne({ _id: bundleId }, { $set: { moveId, revocableUntil: revocableUntil ?? null } })
        .exec();
    });
  }

  async removeSubmission(bundleId: string): Promise<boolean> {
    return this.submissionWrites.run(bundleId, async () => {
      const result = await this.models.submissions.deleteOne({ _id: bundleId }).exec();
      return result.deletedCount === 1;
    });
  }

  async recordEvent(bundleId: string, event: TrackerEvent): Promise<RecordOutcome> {
    const outcome = await insertOnce(this.models.events, {
      _id: event.eventId,
      bundleId,
      moveId: event.moveId,
      ownerPersonId: event.kind === 'address-changed' ? event.applicantId : null,
      event,
      recordedAt: this.now(),
    });
    return outcome === 'inserted' ? 'recorded' : 'duplicate';
  }

  async get(bundleId: string): Promise<StoredBundle | undefined> {
    const [submission, events] = await Promise.all([
      this.models.submissions.findById(bundleId).lean<SubmissionDocument>().exec(),
      this.models.events.find({ bundleId }).lean<EventDocument[]>().exec(),
    ]);
    return this.compose(bundleId, submission ?? undefined, events);
  }

  async findByMoveId(moveId: string): Promise<StoredBundle | undefined> {
    const submission = await this.models.submissions.findOne({ moveId }).select('_id').lean<{ _id: string }>().exec();
    if (submission) return this.get(submission._id);
    const event = await this.models.events
      .findOne({ moveId })
      .sort({ recordedAt: 1 })
      .select('bundleId')
      .lean<{ bundleId: string }>()
      .exec();
    return event ? this.get(event.bundleId) : undefined;
  }

  async listByOwner(personId: string, limit: number): Promise<StoredBundle[]> {
    const [submitted, recorded] = await Promise.all([
      this.models.submissions.find({ ownerPersonId: personId }).select('_id').lean<{ _id: string }[]>().exec(),
      this.models.events.find({ ownerPersonId: personId }).select('bundleId').lean<{ bundleId: string }[]>().exec(),
    ]);
    const ids = [...new Set([...submitted.map((s) => s._id), ...recorded.map((e) => e.bundleId)])];
    if (ids.length === 0) return [];
    const [submissions, events] = await Promise.all([
      this.models.submissions
        .find({ _id: { $in: ids } })
        .lean<SubmissionDocument[]>()
        .exec(),
      this.models.events
        .find({ bundleId: { $in: ids } })
        .lean<EventDocument[]>()
        .exec(),
    ]);
    const bundles = ids.flatMap((id) => {
      const bundle = this.compose(
        id,
        submissions.find((s) => s._id === id),
        events.filter((e) => e.bundleId === id),
      );
      // A bundle whose submission belongs to someone else is theirs, whatever an event says.
      return bundle && bundle.ownerPersonId === personId ? [bundle] : [];
    });
    return bundles.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, limit);
  }

  /** Empties the event records (a rebuild from the topics refills them); submissions stay. */
  async clearEvents(): Promise<number> {
    const { deletedCount } = await this.models.events.deleteMany({}).exec();
    return deletedCount;
  }

  private compose(
    bundleId: string,
    submission: SubmissionDocument | undefined,
    events: readonly EventDocument[],
  ): StoredBundle | undefined {
    if (!submission && events.length === 0) return undefined;
    const firstSeen = events.reduce<Date | undefined>(
      (min, e) => (min === undefined || e.recordedAt < min ? e.recordedAt : min),
      undefined,
    );
    return composeBundle(
      bundleId,
      submission ? toRecord(submission) : undefined,
      events.map((e) => e.event),
      firstSeen ?? this.now(),
    );
  }
}
