import { applyEvent, type BundleFacts, emptyFacts } from './facts.js';
import type { TrackerEvent } from './events.js';
import { type BundleView, deriveView, type SubmissionSummary } from './view.js';

/**
 * A bundle in the tracker: the facts learnt from events, what the portal's
 * submission said, and who owns it. The transitions are pure; the store
 * persists the result in one document write.
 */
export interface TrackedBundle {
  readonly bundleId: string;
  readonly ownerPersonId?: string;
  readonly submission?: SubmissionSummary & { readonly submittedAt: Date };
  readonly revocableUntil?: Date;
  readonly facts: BundleFacts;
  readonly view: BundleView;
  readonly eventCount: number;
  readonly createdAt: Date;
}

/** What the portal itself knows of a bundle: who submitted what, and the registration office's answer. */
export interface SubmissionRecord {
  readonly bundleId: string;
  readonly ownerPersonId: string;
  readonly submission: SubmissionSummary & { readonly submittedAt: Date };
  readonly moveId?: string;
  readonly revocableUntil?: Date;
}

/**
 * The bundle as the citizen sees it, composed from the portal's submission
 * record (if the bundle was submitted here) and the events recorded for it.
 * Pure; the same for the events in any order.
 */
export function composeBundle(
  bundleId: string,
  record: SubmissionRecord | undefined,
  events: readonly TrackerEvent[],
  firstSeen: Date,
): TrackedBundle {
  let bundle = newBundle(bundleId, record?.submission.submittedAt ?? firstSeen);
  if (record) {
    bundle = { ...withSubmission(bundle, record.submission), ownerPersonId: record.ownerPersonId };
    if (record.moveId) bundle = withRecordedMove(bundle, record.moveId, record.revocableUntil);
  }
  return events.reduce(withEvent, bundle);
}

/** A bundle nobody has said anything about yet. */
export function newBundle(bundleId: string, now: Date): TrackedBundle {
  const facts = emptyFacts();
  return { bundleId, facts, view: deriveView(facts), eventCount: 0, createdAt: now };
}

/** Records the citizen's submission: the owner and the steps asked for, until registration confirms them. */
export function withSubmission(
  bundle: TrackedBundle,
  submission: SubmissionSummary & { readonly submittedAt: Date },
): TrackedBundle {
  if (bundle.submission) return bundle;
  return {
    ...bundle,
    ownerPersonId: bundle.ownerPersonId ?? submission.personId,
    submission,
    view: deriveView(bundle.facts, submission),
  };
}

/** Records the registration office's synchronous answer: the move id and how long it can be revoked. */
export function withRecordedMove(bundle: TrackedBundle, moveId: string, revocableUntil?: Date): TrackedBundle {
  const current = bundle.facts.moveId;
  const facts: BundleFacts = { ...bundle.facts, moveId: current === undefined || moveId < current ? moveId : current };
  return {
    ...bundle,
    facts,
    ...(revocableUntil ? { revocableUntil } : {}),
    view: deriveView(facts, bundle.submission),
  };
}

/**
 * Merges one event. The owner is the citizen who submitted the bundle, or —
 * for a bundle rebuilt from the topics — the applicant of the recorded move.
 */
export function withEvent(bundle: TrackedBundle, event: TrackerEvent): TrackedBundle {
  const facts = applyEvent(bundle.facts, event);
  const owner = bundle.ownerPersonId ?? facts.registration?.applicantId;
  return {
    ...bundle,
    ...(owner ? { ownerPersonId: owner } : {}),
    facts,
    view: deriveView(facts, bundle.submission),
    eventCount: bundle.eventCount + 1,
  };
}
