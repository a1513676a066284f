import { platformMetrics } from '@buergerservice/telemetry';
import type { BundleListener, StoredBundle } from './ports.js';

/**
 * Counts bundles that became complete, with how long it took since
 * submission. "partially_completed": some requested step was rejected.
 */
export class BundleMetrics implements BundleListener {
  bundleChanged(before: StoredBundle | undefined, after: StoredBundle): void {
    if (before?.view.complete || !after.view.complete) return;
    const rejected = after.view.steps.some((s) => s.state === 'rejected');
    const outcome =
      after.view.status === 'revoked'
        ? 'revoked'
        : after.view.steps.every((s) => s.state === 'rejected' || s.state === 'not-requested')
          ? 'failed'
          : rejected
            ? 'partially_completed'
            : 'completed';
    const metrics = platformMetrics();
    metrics.bundlesCompleted.add(1, { outcome });
    const submittedAt = after.submission?.submittedAt;
    if (submittedAt && after.view.completedAt) {
      const seconds = (Date.parse(after.view.completedAt) - submittedAt.getTime()) / 1000;
      if (seconds >= 0) metrics.bundleCompletionDuration.record(seconds, { outcome });
    }
  }
}

/** Tells several listeners. */
export function listeners(...all: BundleListener[]): BundleListener {
  return {
    bundleChanged(before, after) {
      for (const listener of all) listener.bundleChanged(before, after);
    },
  };
}
