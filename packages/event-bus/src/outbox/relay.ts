import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { type Logger, type OutboxSample, observeOutbox } from '@buergerservice/telemetry';
import type { Connection, mongo } from 'mongoose';
import type { EventBus } from '../publisher.js';
import { sleep } from '../retry.js';
import { minuteOf, OUTBOX_MINUTE, type OutboxEntry, outboxWindowFilter } from './entry.js';
import { type PublishedMarker, RelayState, type RelayStateDocument } from './relay-state.js';
import { readOutboxEntries } from './stored.js';
import { namespaceOf, onOutboxWrite } from './written.js';

/** What the relay needs of a mongoose model whose schema uses `outboxPlugin` (any mongoose model fits). */
export interface OutboxModel {
  readonly modelName: string;
  readonly collection: mongo.Collection;
  /** The model's connection: the relay keeps its state in the same database. */
  readonly db: Connection;
}

/** An aggregate document as stored (raw driver document). */
export type OutboxDocument = mongo.WithId<mongo.Document>;

export interface OutboxRelayOptions {
  readonly bus: EventBus;
  readonly models: readonly OutboxModel[];
  /** Pause between passes. */
  readonly pollIntervalMs?: number;
  /**
   * How often the relay scans every model for entries, at most (default
   * 30 s). In between, it publishes the documents this process reported
   * writing (`kick`, and the notices of `outboxPlugin`), each read by `_id`;
   * notices it could not relay because Kafka or the database failed are kept
   * for the next pass. A `kick` with no notice waiting starts a scan at once.
   * The scan is the safety net for entries no notice told of (written by
   * another process, or by a raw driver write): they wait up to this long.
   * Each scan re-reads the documents of its whole window, so a shorter
   * interval costs the database: 5 s instead of 30 s cost 12–20 % more
   * database CPU per bundle in the benchmark (packages/benchmark/README.md).
   */
  readonly scanIntervalMs?: number;
  /** Aggregate documents read per query while scanning. */
  readonly batchSize?: number;
  /**
   * How far each scan reaches back behind the watermark. Covers entries that
   * become visible a little after their timestamp (clock skew between
   * service replicas, slow writes). Default one minute.
   */
  readonly lookBackMs?: number;
  /** Leadership lease: only the leading replica's loop publishes. */
  readonly leadershipTtlMs?: number;
  /** Markers of entries this much older than the scan window are deleted. Default one day. */
  readonly markerRetentionMs?: number;
  /** Names the leadership; relays of different services in one database need different names. */
  readonly name?: string;
  /**
   * Called after a document's entries were acknowledged by Kafka and before
   * they are recorded as published, e.g. to write the BMG transmission log.
   * If it throws, the entries count as unpublished and are published again
   * later, so it must be idempotent (e.g. `insertOnce` keyed by event id).
   */
  readonly onPublished?: (entries: readonly OutboxEntry[], doc: OutboxDocument) => Promise<void>;
  readonly logger?: Logger;
}

/** Kafka did not acknowledge a document's entries; they stay pending. */
export class PublishFailedError extends Error {
  override readonly name = 'PublishFailedError';
}

const defaults = {
  pollIntervalMs: 500,
  scanIntervalMs: 30_000,
  batchSize: 100,
  lookBackMs: 60_000,
  leadershipTtlMs: 15_000,
  markerRetentionMs: 24 * 3_600_000,
  name: 'outbox-relay',
};

/** Notices of written documents kept per model between passes; beyond that, a scan is cheaper. */
const MAX_NOTICES = 10_000;

/** A scan window longer than this many minutes is read by one full scan instead of one query per minute. */
const MAX_MINUTE_QUERIES = 6 * 60;

type Settings = Required<Omit<OutboxRelayOptions, 'onPublished'>> & Pick<OutboxRelayOptions, 'onPublished'>;

export interface PassResult {
  /** Events handed to Kafka in this pass. */
  readonly published: number;
  /** Entries that could not be published and stay pending. */
  readonly failed: number;
}

/**
 * Publishes outbox entries written by use cases, without ever writing to the
 * aggregate documents (see relay-state.ts for why).
 *
 * A pass scans, per model, the documents with entries newer than the
 * watermark minus `lookBackMs` (by their minute bucket, see `scanPages`),
 * publishes the entries without a "published"
 * marker in their array order (one produce batch per document), records
 * markers, and moves the watermark on to the pass's start, or to the oldest
 * entry it could not publish.
 *
 * Guarantees: an entry is marked only after Kafka acknowledged it (acks=all),
 * so none is lost; a crash between the acknowledgement and the marker
 * publishes it again (consumers deduplicate by `ce_id`). The first copy of
 * each event on its partition is in the order of the document's array, also
 * with several relays: a relay publishes a document's unmarked entries in
 * order, and an entry is marked only after it was acknowledged.
 */
export class OutboxRelay {
  readonly owner = `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly settings: Settings;
  private readonly logger: Logger;
  private readonly state: RelayState;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake = new AbortController();
  private unobserve: (() => void) | undefined;
  private unlisten: (() => void) | undefined;
  private lastForget = 0;
  private lastScan = 0;
  private scanWanted = true;
  /** Ids of documents reported written since the last pass, per model. */
  private written = new Map<OutboxModel, Set<unknown>>();
  /** Models this relay has made its full scan of (see `scanPages`). */
  private readonly fullyScanned = new Set<OutboxModel>();

  constructor(options: OutboxRelayOptions) {
    const first = options.models[0];
    if (!first) throw new Error('OutboxRelay: no models');
    this.logger = options.logger ?? options.bus.logger.child({ component: 'outbox-relay' });
    this.settings = { ...defaults, ...options, logger: this.logger };
    this.state = new RelayState(
      first.db.collection<PublishedMarker>('outbox_published'),
      first.db.collection<RelayStateDocument>('outbox_relay'),
      this.settings.name,
    );
  }

  /** Starts the background loop: lead, pass, sleep. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.unobserve = observeOutbox(() => this.samples());
    const byNamespace = new Map(this.settings.models.map((m) => [namespaceOf(m), m]));
    this.unlisten = onOutboxWrite(({ namespace, id }) => {
      const model = byNamespace.get(namespace);
      if (!model) return;
      const ids = this.written.get(model) ?? new Set();
      // A flood of notices is a scan's work: drop them and scan.
      if (ids.size >= MAX_NOTICES) this.scanWanted = true;
      else this.written.set(model, ids.add(id));
    });
    this.loop = this.run();
  }

  /** Finishes the pass in flight, gives up the leadership and stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake.abort();
    await this.loop;
    this.loop = undefined;
    this.unobserve?.();
    this.unobserve = undefined;
    this.unlisten?.();
    this.unlisten = undefined;
    await this.state.resign(this.owner).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'could not give up the outbox relay leadership; it expires by itself');
    });
  }

  /**
   * Starts a pass now instead of after the poll interval (e.g. right after a
   * use case wrote entries): over the documents reported written, or a scan
   * when none was reported.
   */
  kick(): void {
    if (this.written.size === 0) this.scanWanted = true;
    this.wake.abort();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        if (await this.state.lead(this.owner, this.settings.leadershipTtlMs)) await this.pass();
      } catch (error) {
        this.logger.error({ err: error }, 'outbox relay pass failed; retrying after the poll interval');
      }
      if (this.stopping) break;
      await sleep(this.settings.pollIntervalMs, this.wake.signal);
      if (this.wake.signal.aborted) this.wake = new AbortController();
    }
  }

  /** A scan when one is due or wanted, else the documents reported written. */
  private async pass(): Promise<void> {
    if (this.scanWanted || Date.now() - this.lastScan >= this.settings.scanIntervalMs) {
      this.scanWanted = false;
      this.lastScan = Date.now();
      this.written.clear(); // the scan reads them too
      await this.runOnce();
      return;
    }
    const written = [...this.written];
    this.written = new Map();
    for (const [index, [model, ids]] of written.entries()) {
      let unrelayed: readonly unknown[];
      try {
        unrelayed = (await this.passOverWritten(model, [...ids])).unrelayed;
      } catch (error) {
        // The database failed: keep this model's notices and the ones not reached yet.
        for (const [later, laterIds] of written.slice(index)) this.notice(later, laterIds);
        throw error;
      }
      this.notice(model, unrelayed);
      if (unrelayed.length > 0) {
        // Kafka failed: the other models' documents would fail the same way now.
        for (const [later, laterIds] of written.slice(index + 1)) this.notice(later, laterIds);
        return;
      }
      if (this.stopping) return;
    }
  }

  /** Keeps documents to relay in the next pass that does not scan. */
  private notice(model: OutboxModel, ids: Iterable<unknown>): void {
    const pending = this.written.get(model) ?? new Set();
    for (const id of ids) pending.add(id);
    if (pending.size > 0) this.written.set(model, pending);
  }

  /**
   * Publishes the pending entries of the given documents, read by `_id`.
   * Leaves the watermark alone. `unrelayed`: the documents not relayed
   * because Kafka failed (the failing one and those after it); a document
   * that failed for its own reasons stays for the next scan.
   */
  async passOverWritten(
    model: OutboxModel,
    ids: readonly unknown[],
  ): Promise<PassResult & { unrelayed: readonly unknown[] }> {
    const collection = model.collection.collectionName;
    const since = this.windowStart(await this.state.watermark(collection));
    let published = 0;
    let failed = 0;
    for (let i = 0; i < ids.length && !this.stopping; i += this.settings.batchSize) {
      const batchIds = ids.slice(i, i + this.settings.batchSize);
      const batch = { _id: { $in: batchIds } } as mongo.Filter<mongo.Document>;
      const docs = await model.collection.find(batch).toArray();
      const done = await this.publishedAmong(docs, since);
      for (const [position, doc] of docs.entries()) {
        const result = await this.relayDocument(model, doc, since, done);
        published += result.published;
        failed += result.failed.length;
        if (result.error instanceof PublishFailedError) {
          const unrelayed = [...docs.slice(position).map((d) => d._id), ...ids.slice(i + this.settings.batchSize)];
          return { published, failed, unrelayed };
        }
      }
    }
    return { published, failed, unrelayed: [] };
  }

  /** One pass over every model (regardless of leadership; the loop checks that). */
  async runOnce(): Promise<PassResult> {
    let published = 0;
    let failed = 0;
    for (const model of this.settings.models) {
      const result = await this.passOver(model);
      published += result.published;
      failed += result.failed;
      if (this.stopping) break;
    }
    return { published, failed };
  }

  private async passOver(model: OutboxModel): Promise<PassResult> {
    const collection = model.collection.collectionName;
    const started = new Date();
    const watermark = await this.state.watermark(collection);
    const since = this.windowStart(watermark);
    let published = 0;
    let failed = 0;
    let oldestFailure: Date | undefined;
    const holdAt = (time: Date) => {
      if (!oldestFailure || time < oldestFailure) oldestFailure = time;
    };

    const full = !this.fullyScanned.has(model);
    let complete = true;
    pages: for await (const page of this.scanPages(model, since, started, full)) {
      const done = await this.publishedAmong(page, since);
      for (const doc of page) {
        if (this.stopping) return { published, failed };
        const result = await this.relayDocument(model, doc, since, done);
        published += result.published;
        failed += result.failed.length;
        if (result.error === undefined) continue;
        for (const entry of result.failed) holdAt(entry.recordedAt);
        // Failed before knowing which entries: hold the watermark where it is.
        if (result.failed.length === 0) holdAt(watermark ?? new Date(0));
        if (result.error instanceof PublishFailedError) {
          // Documents not scanned yet may hold older entries.
          holdAt(watermark ?? new Date(0));
          complete = false;
          break pages;
        }
      }
    }

    // A full scan that Kafka cut short is made again: the documents it did not reach may have no bucket.
    if (full && complete) this.fullyScanned.add(model);
    await this.state.setWatermark(collection, oldestFailure ?? started);
    await this.forgetOldMarkers(collection, since);
    return { published, failed };
  }

  /**
   * Publishes a document's entries recorded from `since` on that have no
   * "published" marker, in their array order, and marks them. Kafka being
   * unavailable (PublishFailedError) means every other document would fail
   * the same way after the producer's retries, so callers end their pass;
   * anything else (the hook, the database, a corrupt entry) concerns this
   * document only.
   */
  private async relayDocument(
    model: OutboxModel,
    doc: OutboxDocument,
    since: Date,
    done: ReadonlySet<string>,
  ): Promise<{ published: number; failed: readonly OutboxEntry[]; error?: unknown }> {
    const where = `${model.modelName} ${String(doc._id)}`;
    let pending: OutboxEntry[] = [];
    try {
      pending = readOutboxEntries(doc.outbox, where).filter((e) => e.recordedAt >= since && !done.has(e.id));
      if (pending.length === 0) return { published: 0, failed: [] };
      await this.publish(pending, where);
      await this.settings.onPublished?.(pending, doc);
      await this.state.markPublished(model.collection.collectionName, pending);
      this.logger.debug({ model: model.modelName, events: pending.map((e) => e.id) }, 'outbox entries published');
      return { published: pending.length, failed: [] };
    } catch (error) {
      if (error instanceof PublishFailedError) {
        this.logger.error({ err: error, model: model.modelName }, 'outbox relay cannot publish; pass ended');
      } else {
        this.logger.error(
          { err: error, model: model.modelName, document: String(doc._id) },
          'outbox document not relayed; its entries stay pending',
        );
      }
      return { published: 0, failed: pending, error };
    }
  }

  /** Where a scan starts: the watermark minus the look-back (from the beginning when there is none). */
  private windowStart(watermark: Date | undefined): Date {
    return new Date(watermark ? watermark.getTime() - this.settings.lookBackMs : 0);
  }

  /**
   * Pages of the documents that may hold entries recorded from `since` on.
   * Normally one equality query per minute of the window (`outboxMinute`, see
   * OUTBOX_MINUTE), from `since` to `lookBackMs` past `now`, which covers
   * replicas whose clocks run ahead. A full scan by `outbox.recordedAt`
   * instead: when `full` is asked for (a relay's first pass over a model also
   * finds entries written without `outboxMinute`: by raw driver writes, or
   * before the field existed), without a watermark, or for a window longer
   * than MAX_MINUTE_QUERIES minutes. A document can come twice (a write moved
   * it to a later minute); its published entries are skipped then.
   */
  private async *scanPages(
    model: OutboxModel,
    since: Date,
    now: Date,
    full: boolean,
  ): AsyncGenerator<OutboxDocument[]> {
    const until = now.getTime() + this.settings.lookBackMs;
    const first = Math.floor(since.getTime() / 60_000) * 60_000;
    if (full || since.getTime() === 0 || (until - first) / 60_000 > MAX_MINUTE_QUERIES) {
      yield* this.pages(model, outboxWindowFilter(since));
      return;
    }
    for (let minute = first; minute <= until; minute += 60_000) {
      yield* this.pages(model, { [OUTBOX_MINUTE]: minuteOf(minute) });
    }
  }

  /** The documents matching `filter`, in pages ordered by _id (bounded reads, FerretDB-friendly). */
  private async *pages(model: OutboxModel, filter: mongo.Filter<mongo.Document>): AsyncGenerator<OutboxDocument[]> {
    let after: OutboxDocument['_id'] | undefined;
    for (;;) {
      const page = await model.collection
        .find({ ...filter, ...(after === undefined ? {} : { _id: { $gt: after } }) })
        .sort({ _id: 1 })
        .limit(this.settings.batchSize)
        .toArray();
      if (page.length > 0) yield page;
      const last = page.at(-1);
      if (!last || page.length < this.settings.batchSize) return;
      after = last._id;
    }
  }

  /**
   * Which entries of these documents, recorded from `since` on, were published
   * before: one lookup for the whole page. A document whose outbox cannot be
   * read is left out here; relaying it reports the error.
   */
  private async publishedAmong(docs: readonly OutboxDocument[], since: Date): Promise<Set<string>> {
    const ids = docs.flatMap((doc) => {
      try {
        return readOutboxEntries(doc.outbox, String(doc._id))
          .filter((e) => e.recordedAt >= since)
          .map((e) => e.id);
      } catch {
        return [];
      }
    });
    return this.state.publishedAmong(ids);
  }

  private async publish(entries: readonly OutboxEntry[], where: string): Promise<void> {
    try {
      await this.settings.bus.publishAll(entries);
    } catch (error) {
      throw new PublishFailedError(`publishing the outbox of ${where} failed`, { cause: error });
    }
  }

  private async forgetOldMarkers(collection: string, since: Date): Promise<void> {
    if (Date.now() - this.lastForget < 600_000) return;
    this.lastForget = Date.now();
    const before = new Date(since.getTime() - this.settings.markerRetentionMs);
    const forgotten = await this.state.forgetMarkers(collection, before);
    if (forgotten > 0) this.logger.info({ collection, forgotten }, 'forgot old published markers');
  }

  /**
   * Backlog and age of the oldest unpublished entry per model, from the same
   * window a pass scans, by minute buckets only (entries written without
   * `outboxMinute` are not counted).
   */
  async samples(): Promise<OutboxSample[]> {
    const now = Date.now();
    return Promise.all(
      this.settings.models.map(async (model) => {
        const collection = model.collection.collectionName;
        const since = this.windowStart(await this.state.watermark(collection));
        let pending = 0;
        let oldest = now;
        // No full scan here: a replica that never leads would repeat it at every scrape.
        for await (const page of this.scanPages(model, since, new Date(now), false)) {
          const done = await this.publishedAmong(page, since);
          for (const doc of page) {
            const recent = readOutboxEntries(doc.outbox, String(doc._id)).filter((e) => e.recordedAt >= since);
            for (const entry of recent) {
              if (done.has(entry.id)) continue;
              pending++;
              oldest = Math.min(oldest, entry.recordedAt.getTime());
            }
          }
        }
        return {
          outbox: collection,
          pending,
          oldestPendingAgeSeconds: pending === 0 ? 0 : Math.max(0, (now - oldest) / 1000),
        };
      }),
    );
  }
}
