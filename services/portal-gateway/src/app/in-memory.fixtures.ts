import { composeBundle, type SubmissionRecord } from '../domain/tracker/bundle.js';
import type { TrackerEvent } from '../domain/tracker/events.js';
import type { BundleListener, BundleRepository, RecordOutcome, StoredBundle } from './ports.js';

/** The tracker store in memory, for unit tests of the use cases (same contract as store/bundle-store.ts). */
export class InMemoryBundles implements BundleRepository {
  readonly submissions = new Map<string, SubmissionRecord>();
  readonly events = new Map<string, { bundleId: string; event: TrackerEvent }>();

  async saveSubmission(record: SubmissionRecord): Promise<boolean> {
    if (this.submissions.has(record.bundleId)) return false;
    this.submissions.set(record.bundleId, record);
    return true;
  }

  async recordMove(bundleId: string, moveId: string, revocableUntil?: Date): Promise<void> {
    const record = this.submissions.get(bundleId);
    if (record) this.submissions.set(bundleId, { ...record, moveId, ...(revocableUntil ? { revocableUntil } : {}) });
  }

  async removeSubmission(bundleId: string): Promise<boolean> {
    return this.submissions.delete(bundleId);
  }

  async recordEvent(bundleId: string, event: TrackerEvent): Promise<RecordOutcome> {
    if (this.events.has(event.eventId)) return 'duplicate';
    this.events.set(event.eventId, { bundleId, event });
    return 'recorded';
  }

  async get(bundleId: string): Promise<StoredBundle | undefined> {
    const events = [...this.events.values()].filter((e) => e.bundleId === bundleId).map((e) => e.event);
    const record = this.submissions.get(bundleId);
    if (!record && events.length === 0) return undefined;
    return composeBundle(bundleId, record, events, new Date(0));
  }

  async findByMoveId(moveId: string): Promise<StoredBundle | undefined> {
    const submitted = [...this.submissions.values()].find((s) => s.moveId === moveId);
    if (submitted) return this.get(submitted.bundleId);
    const event = [...this.events.values()].find((e) => e.event.moveId === moveId);
    return event ? this.get(event.bundleId) : undefined;
  }

  async listByOwner(personId: string, limit: number): Promise<StoredBundle[]> {
    const ids = new Set([...this.submissions.keys(), ...[...this.events.values()].map((e) => e.bundleId)]);
    const bundles = await Promise.all([...ids].map((id) => this.get(id)));
    return bundles.filter((b): b is StoredBundle => b?.ownerPersonId === personId).slice(0, limit);
  }
}

export class RecordingListener implements BundleListener {
  readonly changes: { before: StoredBundle | undefined; after: StoredBundle }[] = [];
  bundleChanged(before: StoredBundle | undefined, after: StoredBundle): void {
    this.changes.push({ before, after });
  }
}
