import type { mongo } from 'mongoose';
import { isDuplicateKeyError } from '../idempotency.js';

/**
 * The relay's own bookkeeping, kept apart from the aggregates.
 *
 * Why not mark entries published inside the aggregate document: FerretDB 1.x
 * executes an update as "read the document, apply the operators, write the
 * whole document back", not atomically, so a relay update racing a use
 * case's update on the same document loses one of them — an event or even
 * the state change. The relay therefore never writes to aggregates. What it
 * writes here is either insert-only (atomic against the unique _id on every
 * MongoDB-compatible server) or written by relays alone, where a lost update
 * only causes an event to be published once more.
 */

/** One document per published event: `_id` is the event id. */
export interface PublishedMarker {
  _id: string;
  /** Collection of the aggregate the entry came from. */
  collection: string;
  /** The entry's `recordedAt`, to drop markers once no scan can reach the entry any more. */
  recordedAt: Date;
  publishedAt: Date;
}

/** Relay state: the scan watermark per collection and the leadership lease. */
export interface RelayStateDocument {
  _id: string;
  /** watermark: every entry recorded before this is published. */
  time?: Date;
  /** leadership */
  owner?: string;
  until?: Date;
}

export class RelayState {
  constructor(
    private readonly markers: mongo.Collection<PublishedMarker>,
    private readonly state: mongo.Collection<RelayStateDocument>,
    private readonly relayName: string,
  ) {}

  /** Which of these event ids were published before. */
  async publishedAmong(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const found = await this.markers.find({ _id: { $in: [...ids] } }, { projection: { _id: 1 } }).toArray();
    return new Set(found.map((m) => m._id));
  }

  /** Records events as published; markers another relay wrote first are fine. */
  async markPublished(collection: string, entries: readonly { id: string; recordedAt: Date }[]): Promise<void> {
    if (entries.length === 0) return;
    const publishedAt = new Date();
    try {
      await this.markers.insertMany(
        entries.map((e) => ({ _id: e.id, collection, recordedAt: e.recordedAt, publishedAt })),
        { ordered: false },
      );
    } catch (error) {
      if (!onlyDuplicates(error)) throw error;
    }
  }

  /** Drops markers of entries older than `before`: no scan window reaches back that far. */
  async forgetMarkers(collection: string, before: Date): Promise<number> {
    return (await this.markers.deleteMany({ collection, recordedAt: { $lt: before } })).deletedCount;
  }

  async watermark(collection: string): Promise<Date | undefined> {
    return (await this.state.findOne({ _id: `watermark:${collection}` }))?.time;
  }

  async setWatermark(collection: string, time: Date): Promise<void> {
    await this.upsert(`watermark:${collection}`, { time });
  }

  /**
   * Takes or renews the leadership for `ttlMs`. Only the leader's loop
   * publishes, so replicas of a service do not all publish every event.
   * Exclusivity is best effort (an expired lease can be taken by two
   * relays at once); a second leader only publishes duplicates.
   */
  async lead(owner: string, ttlMs: number): Promise<boolean> {
    const id = `leader:${this.relayName}`;
    const now = new Date();
    const until = new Date(now.getTime() + ttlMs);
    const current = await this.state.findOne({ _id: id });
    if (current?.owner === owner) {
      await this.state.updateOne({ _id: id }, { $set: { until } });
      return true;
    }
    if (current?.until && current.until > now) return false;
    if (current) await this.state.deleteOne({ _id: id, ...(current.owner ? { owner: current.owner } : {}) });
    try {
      await this.state.insertOne({ _id: id, owner, until });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Gives the leadership up (on stop), so another replica takes over at once. */
  async resign(owner: string): Promise<void> {
    await this.state.deleteOne({ _id: `leader:${this.relayName}`, owner });
  }

  private async upsert(id: string, fields: Omit<RelayStateDocument, '_id'>): Promise<void> {
    try {
      await this.state.updateOne({ _id: id }, { $set: fields }, { upsert: true });
    } catch (error) {
      // Two relays upserting a new document at once: the loser's insert hits
      // the unique _id; its update then applies to the winner's document.
      if (!isDuplicateKeyError(error)) throw error;
      await this.state.updateOne({ _id: id }, { $set: fields });
    }
  }
}

function onlyDuplicates(error: unknown): boolean {
  if (isDuplicateKeyError(error) && typeof error === 'object' && error !== null) {
    const { writeErrors } = error as { writeErrors?: unknown };
    if (!Array.isArray(writeErrors)) return true;
    return writeErrors.every((w: unknown) => isDuplicateKeyError(w));
  }
  return false;
}
