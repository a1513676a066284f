import { isDuplicateKeyError } from '@buergerservice/event-bus';
import { mongo, type QueryFilter } from 'mongoose';
import type { AuditCursor, AuditLog, AuditQuery } from '../app/ports.js';
import type { AuditEntry } from '../domain/audit.js';
import { auditEntryFromDoc, auditEntryToDoc } from './mapping.js';
import type { AuditEntryDoc, RegistrationModels } from './models.js';

/**
 * The BMG §40 log on MongoDB. Append-only by construction: this class is the
 * only code that touches the collection, and it inserts, reads and purges by
 * age — nothing updates an entry.
 */
export class MongoAuditLog implements AuditLog {
  constructor(private readonly models: RegistrationModels) {}

  async append(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.models.AuditEntry.insertMany(entries.map(auditEntryToDoc), { ordered: true, lean: true });
  }

  async appendOnce(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    try {
      await this.models.AuditEntry.insertMany(entries.map(auditEntryToDoc), { ordered: false, lean: true });
    } catch (error) {
      // Entries logged by an earlier attempt collide on their deterministic ids: that is the point.
      if (onlyDuplicates(error)) return;
      throw error;
    }
  }

  async list(query: AuditQuery): Promise<{ entries: AuditEntry[]; next?: AuditCursor | undefined }> {
    const time: { $gte?: Date; $lt?: Date } = {};
    if (query.from) time.$gte = query.from;
    if (query.to) time.$lt = query.to;
    const conditions: QueryFilter<AuditEntryDoc>[] = [
      'personId' in query.filter ? { personIds: query.filter.personId } : { recipient: query.filter.recipient },
    ];
    if (query.from || query.to) conditions.push({ time });
    if (query.after) {
      conditions.push({
        $or: [{ time: { $lt: query.after.time } }, { time: query.after.time, _id: { $lt: query.after.entryId } }],
      });
    }
    const docs = await this.models.AuditEntry.find(
      conditions.length === 1 ? (conditions[0] ?? {}) : { $and: conditions },
    )
      .sort({ time: -1, _id: -1 })
      .limit(query.size + 1)
      .lean();
    const entries = docs.slice(0, query.size).map(auditEntryFromDoc);
    const last = entries.at(-1);
    return { entries, next: docs.length > query.size && last ? { time: last.time, entryId: last.entryId } : undefined };
  }

  async purgeBefore(cutoff: Date): Promise<number> {
    const result = await this.models.AuditEntry.deleteMany({ time: { $lt: cutoff } });
    return result.deletedCount;
  }
}

function onlyDuplicates(error: unknown): boolean {
  if (error instanceof mongo.MongoBulkWriteError) {
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    return writeErrors.length > 0 && writeErrors.every((e) => e.code === 11000);
  }
  return isDuplicateKeyError(error);
}
