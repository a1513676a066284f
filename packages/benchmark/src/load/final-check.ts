import type { TestIssuer } from '@buergerservice/testing';
import { log } from '../log.js';
import type { KafkaMonitor } from '../platform/kafka-monitor.js';
import type { PortalClient } from '../platform/portal-client.js';
import type { BundleLedger } from './phase.js';

export interface FinalCheckOptions {
  /** Upper bound of the whole check. */
  readonly capMs: number;
  /** No consumer lag and nothing completing for this long: the platform has nothing left in flight. */
  readonly quietMs: number;
  /** Nothing completing and the lag not shrinking for this long: the platform is stuck. */
  readonly stallMs: number;
  readonly intervalMs?: number;
}

export interface FinalCheck {
  /** Still incomplete although the platform went quiet or stalled. */
  readonly lost: string[];
  /** Still incomplete, but the platform was still making progress when the cap was reached. */
  readonly unfinished: string[];
  /** Bundles that completed only now, after their phase: scheduled send → their completedAt, ms. */
  readonly lateCompletionsMs: number[];
  readonly seconds: number;
}

/**
 * Looks once more at every accepted bundle not yet seen complete, for as
 * long as the platform keeps making progress: a slow platform is not a lost
 * bundle, a quiet or stuck one is.
 */
export async function finalCheck(
  client: PortalClient,
  issuer: Pick<TestIssuer, 'token'>,
  ledger: BundleLedger,
  kafka: Pick<KafkaMonitor, 'snapshot'>,
  options: FinalCheckOptions,
): Promise<FinalCheck> {
  const started = performance.now();
  const tokens = new Map<string, string>();
  const lateCompletionsMs: number[] = [];
  let pending = ledger.incomplete();
  if (pending.length > 0) log(`final check: ${pending.length} accepted bundle(s) not yet seen complete`);
  let lastProgress = started;
  let quietSince: number | undefined;
  let lastLag = Number.POSITIVE_INFINITY;
  let verdict: 'done' | 'quiet' | 'stalled' | 'cap' = 'done';
  while (pending.length > 0) {
    const before = pending.length;
    for (let i = 0; i < pending.length; i += 16) {
      await Promise.all(
        pending.slice(i, i + 16).map(async ({ bundleId, personId }) => {
          let token = tokens.get(personId);
          if (!token) {
            token = await issuer.token(personId);
            tokens.set(personId, token);
          }
          const outcome = await client.get(token, bundleId);
          if (outcome.kind === 'ok' && outcome.value.complete) {
            ledger.completed(bundleId);
            const completedAt = outcome.value.completedAt ? Date.parse(outcome.value.completedAt) : Number.NaN;
            const scheduledAt = ledger.scheduledAt(bundleId);
            if (Number.isFinite(completedAt) && scheduledAt !== undefined) {
              lateCompletionsMs.push(Math.max(0, completedAt - scheduledAt));
            }
          }
        }),
      );
    }
    pending = ledger.incomplete();
    if (pending.length === 0) break;
    const snapshot = await kafka.snapshot();
    const lag = Object.values(snapshot.groups).reduce((a, g) => a + g.lag, 0);
    const now = performance.now();
    if (pending.length < before || lag < lastLag) lastProgress = now;
    lastLag = lag;
    quietSince = lag === 0 ? (quietSince ?? now) : undefined;
    if (quietSince !== undefined && now - quietSince >= options.quietMs && now - lastProgress >= options.quietMs) {
      verdict = 'quiet';
      break;
    }
    if (now - lastProgress >= options.stallMs) {
      verdict = 'stalled';
      break;
    }
    if (now - started >= options.capMs) {
      verdict = 'cap';
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1_000));
  }
  const ids = pending.map((p) => p.bundleId);
  const seconds = (performance.now() - started) / 1000;
  if (ids.length > 0) {
    log(
      verdict === 'cap'
        ? `final check: ${ids.length} bundle(s) still progressing after ${seconds.toFixed(0)} s (unfinished, not lost)`
        : `final check: ${ids.length} bundle(s) lost (platform ${verdict === 'quiet' ? 'quiet, no lag' : 'made no progress'})`,
    );
  }
  return verdict === 'cap'
    ? { lost: [], unfinished: ids, lateCompletionsMs, seconds }
    : { lost: ids, unfinished: [], lateCompletionsMs, seconds };
}
