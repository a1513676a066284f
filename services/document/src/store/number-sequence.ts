import { isDuplicateKeyError } from '@buergerservice/event-bus';
import type { Model } from 'mongoose';
import type { NumberSequence } from '../app/ports.js';
import type { NumberClaimDocument } from './models.js';

/** Bounds the claims tried per number when many issuers race (each failed claim means another got a number). */
const MAX_CLAIMS = 100;

/**
 * Document numbers without an atomic counter (FerretDB 1.24 loses concurrent
 * `$inc`s, see models.ts): the next number is one above the highest claimed,
 * and it is owned by whoever inserts its claim first. Losers try the next one.
 */
export class MongoNumberSequence implements NumberSequence {
  constructor(private readonly model: Model<NumberClaimDocument>) {}

  async next(sequence: string): Promise<number> {
    const [highest] = await this.model
      .find({ sequence }, { value: 1 })
      .sort({ value: -1 })
      .limit(1)
      .lean<Pick<NumberClaimDocument, 'value'>[]>()
      .exec();
    let candidate = (highest?.value ?? 0) + 1;
    for (let attempt = 1; attempt <= MAX_CLAIMS; attempt++, candidate++) {
      try {
        await this.model.create({ _id: `${sequence}|${candidate}`, sequence, value: candidate });
        return candidate;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    throw new Error(`no free number in ${sequence} after ${MAX_CLAIMS} claims`);
  }
}
