import { isDuplicateKeyError } from '@buergerservice/event-bus';
import { type Connection, type Model, Schema } from 'mongoose';
import { KeyedMutex } from './keyed-mutex.js';

/**
 * Stored outcomes of citizens' POST requests by Idempotency-Key, so that a
 * retry gets the same answer and does the work once. One document per
 * (citizen, key); every transition is one conditional single-document write.
 *
 *   processing (lockedUntil in the future) -> completed (response stored)
 *   processing -> released (a 5xx: the work may be retried with the same resource id)
 *   released / processing past its lock -> processing again (a retry takes over)
 */
interface IdempotencyDocument {
  _id: string;
  fingerprint: string;
  state: 'processing' | 'completed';
  /** Allocated once per key, e.g. the bundle id, so a retry after a failure reuses it. */
  resourceId: string;
  lockedUntil: Date;
  response?: { status: number; headers: Record<string, string>; body: string } | null;
  createdAt: Date;
  expiresAt: Date;
}

const schema = new Schema<IdempotencyDocument>(
  {
    _id: { type: String, required: true },
    fingerprint: { type: String, required: true },
    state: { type: String, required: true },
    resourceId: { type: String, required: true },
    lockedUntil: { type: Date, required: true },
    response: { type: Schema.Types.Mixed },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'idempotency_keys', versionKey: false },
);
// No TTL index: FerretDB 1.x does not implement expireAfterSeconds. Expired records are ignored by
// `claim` and removed by `purgeExpired`, which the service runs periodically.
schema.index({ expiresAt: 1 });

export interface StoredResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type Claim =
  | { readonly kind: 'claimed'; readonly resourceId: string }
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'in-progress' };

const LOCK_MS = 30_000;

export class IdempotencyStore {
  private readonly model: Model<IdempotencyDocument>;
  /** See keyed-mutex.ts: FerretDB's conditional updates race; transitions of one key run one at a time here. */
  private readonly transitions = new KeyedMutex();

  constructor(
    connection: Connection,
    private readonly ttlMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.model =
      (connection.models.IdempotencyKey as Model<IdempotencyDocument> | undefined) ??
      connection.model<IdempotencyDocument>('IdempotencyKey', schema);
  }

  async init(): Promise<void> {
    await this.model.init();
  }

  /** Claims the key for this request, or says what to answer instead. */
  async claim(id: string, fingerprint: string, newResourceId: () => string): Promise<Claim> {
    return this.transitions.run(id, () => this.claimNow(id, fingerprint, newResourceId));
  }

  private async claimNow(id: string, fingerprint: string, newResourceId: () => string): Promise<Claim> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = this.now();
      const existing = await this.model.findById(id).lean<IdempotencyDocument>().exec();
      if (!existing || existing.expiresAt <= now) {
        if (existing) await this.model.deleteOne({ _id: id, expiresAt: existing.expiresAt }).exec();
        const resourceId = newResourceId();
        try {
          await this.model.create({
            _id: id,
            fingerprint,
            state: 'processing',
            resourceId,
            lockedUntil: new Date(now.getTime() + LOCK_MS),
            response: null,
            createdAt: now,
            expiresAt: new Date(now.getTime() + this.ttlMs),
          });
          return { kind: 'claimed', resourceId };
        } catch (error) {
          if (isDuplicateKeyError(error)) continue;
          throw error;
        }
      }
      if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (existing.state === 'completed' && existing.response) return { kind: 'replay', response: existing.response };
      if (existing.lockedUntil > now) return { kind: 'in-progress' };
      const taken = await this.model
        .updateOne(
          { _id: id, state: 'processing', lockedUntil: existing.lockedUntil },
          { $set: { lockedUntil: new Date(now.getTime() + LOCK_MS) } },
        )
        .exec();
      if (taken.matchedCount === 1) return { kind: 'claimed', resourceId: existing.resourceId };
    }
    return { kind: 'in-progress' };
  }

  /** Stores the answer; later requests with the key get it replayed. */
  async complete(id: string, response: StoredResponse): Promise<void> {
    await this.transitions.run(id, () => this.completeNow(id, response));
  }

  private async completeNow(id: string, response: StoredResponse): Promise<void> {
    await this.model
      .updateOne({ _id: id, state: 'processing' }, { $set: { state: 'completed', response, lockedUntil: this.now() } })
      .exec();
  }

  /** Removes expired records; returns how many. */
  async purgeExpired(): Promise<number> {
    const { deletedCount } = await this.model.deleteMany({ expiresAt: { $lte: this.now() } }).exec();
    return deletedCount;
  }

  /** Gives the key free for a retry (the work failed in a way worth retrying). */
  async release(id: string): Promise<void> {
    await this.transitions.run(id, () => this.releaseNow(id));
  }

  private async releaseNow(id: string): Promise<void> {
    await this.model.updateOne({ _id: id, state: 'processing' }, { $set: { lockedUntil: new Date(0) } }).exec();
  }
}
