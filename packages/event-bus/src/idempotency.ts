import type { AnyKeys, Model, QueryFilter, Schema, UpdateQuery } from 'mongoose';

/**
 * Idempotent consumers without transactions: the effect of an event and the
 * record that its id was handled go into the same single-document write, so
 * a redelivered event changes nothing twice.
 */

export type ApplyOutcome = 'applied' | 'duplicate' | 'not-found';
export type InsertOutcome = 'inserted' | 'duplicate';

/** Field holding the ids of the events already applied to a document. */
export const PROCESSED_EVENT_IDS = 'processedEventIds';

/** The field `idempotencyPlugin` adds. */
export interface WithProcessedEvents {
  processedEventIds?: string[];
}

/**
 * Adds `processedEventIds` to a schema: `schema.plugin(idempotencyPlugin)`.
 * Not selected by default: use cases never need it, and it grows up to
 * `keep` ids.
 */
export function idempotencyPlugin(schema: Schema): void {
  schema.add({ [PROCESSED_EVENT_IDS]: { type: [String], default: [], select: false } });
}

export interface ApplyOnceOptions {
  /**
   * How many event ids a document remembers. Redeliveries come soon after
   * the first delivery (a crash before the commit, a relay re-publish), so a
   * window of the latest ids suffices; older ones are dropped oldest first.
   */
  readonly keep?: number;
}

const DEFAULT_KEEP = 500;

/**
 * Applies `update` to the document matching `filter` unless event `eventId`
 * was applied to it before, and records the id in the same write.
 *
 * - "applied": the update was made.
 * - "duplicate": the document exists and had already seen the event.
 * - "not-found": no document matches `filter` (told apart from "duplicate"
 *   by a follow-up read). `filter` should identify the document, not test
 *   its state: a state condition that fails also reads as "not-found".
 *
 * The id list is kept with a plain `$push` and trimmed by a second write:
 * `$push` with `$slice` is silently ignored by FerretDB 1.24. The trim is
 * not atomic with the effect, which is harmless: it only forgets old ids.
 */
export async function applyOnce<T, QueryHelpers, Methods, Virtuals, Hydrated, SchemaType extends SchemaPaths>(
  model: Model<T, QueryHelpers, Methods, Virtuals, Hydrated, SchemaType>,
  filter: QueryFilter<T>,
  eventId: string,
  update: UpdateQuery<T>,
  options: ApplyOnceOptions = {},
): Promise<ApplyOutcome> {
  requirePath(model, PROCESSED_EVENT_IDS, 'idempotencyPlugin');
  if (!eventId) throw new Error('applyOnce: eventId is required');
  const push: Record<string, unknown> = { ...update.$push };
  if (PROCESSED_EVENT_IDS in push) throw new Error(`applyOnce: the update must not push to ${PROCESSED_EVENT_IDS}`);
  const recorded = { ...update, $push: { ...push, [PROCESSED_EVENT_IDS]: eventId } } as UpdateQuery<T>;
  const unseen = alsoRequire(filter, PROCESSED_EVENT_IDS, { $ne: eventId });

  const result = await model.updateOne(unseen, recorded);
  if (result.matchedCount === 1) {
    const keep = options.keep ?? DEFAULT_KEEP;
    const tooMany = alsoRequire(filter, `${PROCESSED_EVENT_IDS}.${keep}`, { $exists: true });
    await model.updateOne(tooMany, { $pop: { [PROCESSED_EVENT_IDS]: -1 } } as UpdateQuery<T>);
    return 'applied';
  }
  return (await model.exists(filter)) ? 'duplicate' : 'not-found';
}

/**
 * Inserts a document whose identity derives from the event (e.g. `_id` =
 * the event id, or a unique index on the event id): a redelivery hits the
 * unique index and reads as "duplicate" instead of failing. Any other
 * duplicate-key conflict reads the same, so key the document by the event.
 */
export async function insertOnce<T, QueryHelpers, Methods, Virtuals, Hydrated, SchemaType>(
  model: Model<T, QueryHelpers, Methods, Virtuals, Hydrated, SchemaType>,
  doc: AnyKeys<T>,
): Promise<InsertOutcome> {
  try {
    await model.create(doc);
    return 'inserted';
  } catch (error) {
    if (isDuplicateKeyError(error)) return 'duplicate';
    throw error;
  }
}

/** MongoDB (and FerretDB) report unique-index violations as code 11000. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/**
 * `filter` AND `{ [path]: condition }`. Written as one flat filter when `filter` does not name `path`
 * (e.g. `{ _id, version, processedEventIds: { $ne } }`), because a database may only use its indexes for
 * the top level of a filter (FerretDB 1.x does: an `$and` makes it scan the whole collection).
 */
export function alsoRequire<T>(filter: QueryFilter<T>, path: string, condition: unknown): QueryFilter<T> {
  if (Object.hasOwn(filter, path)) return { $and: [filter, { [path]: condition }] } as QueryFilter<T>;
  return { ...filter, [path]: condition } as QueryFilter<T>;
}

/** The part of a mongoose schema applyOnce looks at. */
type SchemaPaths = { path(path: string): unknown };

function requirePath(model: { modelName: string; schema: SchemaPaths }, path: string, plugin: string): void {
  if (!model.schema.path(path)) {
    throw new Error(`${model.modelName} has no ${path} field; add schema.plugin(${plugin})`);
  }
}
