import { platformMetrics } from '@buergerservice/telemetry';
import type { StepView } from '../domain/tracker/view.js';
import { bundleStepDuration, type StepOutcome } from './gateway-metrics.js';
import type { BundleListener, StoredBundle } from './ports.js';

/**
 * Counts bundles that became complete, with how long it took since
 * submission ("partially_completed": some requested step was rejected), and
 * how long each authority's step took until it was final.
 */
export class BundleMetrics implements BundleListener {
  bundleChanged(before: StoredBundle | undefined, after: StoredBundle): void {
    this.observeSteps(before, after);
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

  /**
   * A step is observed when it turns from not final to done or rejected.
   * Measured on the facts' times (when the authority acted), like the
   * completion, so a slow consumer does not make an authority look slow.
   * Only bundles submitted here have a start; steps of a bundle rebuilt
   * from the topics without its submission record are not observed.
   */
  private observeSteps(before: StoredBundle | undefined, after: StoredBundle): void {
    const submittedAt = after.submission?.submittedAt;
    if (!submittedAt) return;
    const earlier = new Map((before?.view.steps ?? []).map((s) => [s.key, s.state]));
    for (const step of after.view.steps) {
      const outcome = answered(step);
      if (!outcome) continue;
      const previous = earlier.get(step.key);
      if (previous !== undefined && previous !== 'pending') continue;
      const at = step.doneAt ?? step.updatedAt ?? after.view.updatedAt;
      if (!at) continue;
      const seconds = (Date.parse(at) - submittedAt.getTime()) / 1000;
      // An authority's clock a little behind the gateway's: the step was as good as immediate.
      bundleStepDuration().record(Math.max(0, seconds), {
        authority: step.authority,
        step: step.kind,
        outcome,
      });
    }
  }
}

function answered(step: StepView): StepOutcome | undefined {
  return step.state === 'done' || step.state === 'rejected' ? step.state : undefined;
}

/** Tells several listeners. */
export function listeners(...all: BundleListener[]): BundleListener {
  return {
    bundleChanged(before, after) {
      for (const listener of all) listener.bundleChanged(before, after);
    },
  };
}
