import { berlinDate, calendarDate, endOfBerlinDay, yearOf } from './calendar.js';

/**
 * The BMG §40 log of transmissions: every read of registration data through
 * the API and every transmission in an event, with who received what about
 * whom, when, and why. Entries are only ever appended, and purged after the
 * retention period.
 */

export type AuditChannel = 'grpc' | 'event';

export interface AuditEntry {
  readonly entryId: string;
  readonly time: Date;
  /** The requesting or receiving body: client identity, consumer group or office. */
  readonly recipient: string;
  readonly channel: AuditChannel;
  /** RPC name or event type. */
  readonly operation: string;
  /** Names of the data fields transmitted (proto paths, e.g. "name.family_name"). */
  readonly fields: readonly string[];
  /** Persons whose data was transmitted. */
  readonly personIds: readonly string[];
  readonly fileReference: string;
  readonly purpose: string;
  readonly actingUserId: string;
  /** Number of records found. */
  readonly hits: number;
}

/** Why and for whom data is read, as the caller states it. */
export interface AccessContext {
  readonly fileReference: string;
  readonly purpose: string;
  readonly actingUserId: string;
}

/** Log entries are kept for at least this long (BMG §40(3) sentence 2 in the reading of issue 5). */
export const AUDIT_RETENTION_MONTHS = 12;

/**
 * Entries written before this instant are due for deletion at `now`.
 *
 * Deleting exactly at the end of the minimum retention keeps every entry at
 * least 12 months, and — with the purge job running at least every few
 * minutes — deletes every entry long before the end of the calendar year
 * following the one it was written in (the latest permitted day). Only an
 * entry written in the last minutes of 31 December could be late, by less
 * than one purge interval; see the README.
 */
export function auditPurgeCutoff(now: Date): Date {
  const cutoff = new Date(now.getTime());
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - 1);
  // 29 February minus one year overflows to 1 March: keep the later instant,
  // which never shortens the retention.
  return cutoff;
}

/** The latest instant an entry written at `time` may still exist: the end (Berlin time) of the following calendar year. */
export function auditDeleteBy(time: Date): Date {
  return endOfBerlinDay(calendarDate(yearOf(berlinDate(time)) + 1, 12, 31));
}
