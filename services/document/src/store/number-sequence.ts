import { isDuplicateKeyError } from '@buergerservice/event-bus';
import type { Model } from 'mongoose';
import type { NumberSequence } from '../app/ports.js';
import type { NumberClaimDocument } from './models.js';

/** Bounds the claims tried per number when many issuers race (each failed claim means another got a number). */
const MAX_CLAIMS = 100;

/**
 * Document numbers without an atomic counter (FerretDB 1.24 loses concurrent
 * `$inc`s, see models.ts): a number is owned by whoever inserts its claim
 * first, and losers try again above the highest claimed.
 *
 * The highest claim is read from the database only when this process does
 * not know it yet or lost a claim (another replica issued numbers meanwhile):
 * FerretDB cannot push `sort({ value: -1 })` down to SQLite, so that read
 * fetches and sorts every claim of the sequence — a year's documents of one
 * kind — and issuing each document through it grew slower with every document.
 * Calls of one process are taken one at a time per sequence, so they never
 * race each other for a number.
 */
export class MongoNumberSequence implements NumberSequence {
  /** The highest number of each sequence this process claimed or saw claimed. */
  private readonly highestKnown = new Map<string, number>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly model: Model<NumberClaimDocument>) {}

  next(sequence: string): Promise<number> {
    const claimed = (this.queues.get(sequence) ?? Promise.resolve()).then(() => this.claim(sequence));
    this.queues.set(
      sequence,
      claimed.catch(() => undefined),
    );
    return claimed;
  }

  private async claim(sequence: string): Promise<number> {
    let candidate = (this.highestKnown.get(sequence) ?? (await this.highestClaimed(sequence))) + 1;
    for (let attempt = 1; attempt <= MAX_CLAIMS; attempt++) {
      try {
        await this.model.create({ _id: `${sequence}|${candidate}`, sequence, value: candidate });
        this.highestKnown.set(sequence, candidate);
        return candidate;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // Taken by another replica: continue above the highest claim there is now.
        candidate = Math.max(candidate, await this.highestClaimed(sequence)) + 1;
      }
    }
    throw new Error(`no free number in ${sequence} after ${MAX_CLAIMS} claims`);
  }

  private async highestClaimed(sequence: string): Promise<number> {
    const [highest] = await this.model
      .find({ sequence }, { value: 1 })
      .sort({ value: -1 })
      .limit(1)
      .lean<Pick<NumberClaimDocument, 'value'>[]>()
      .exec();
    return highest?.value ?? 0;
  }
}
