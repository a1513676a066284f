import { randomUUID } from 'node:crypto';
import type { SubmittedBundle } from './checker.js';
import type { BundleSpec } from './population.js';

/**
 * Drives one drill's load through the gateway's HTTP API as a citizen's
 * browser would: submit with an idempotency key (and retry with the SAME
 * key while the platform is down: that is the client's part of
 * exactly-once), then follow the bundle's status until complete. The fault
 * fires once the given share of bundles is in flight.
 */

export interface LoadOptions {
  readonly gatewayUrl: string;
  readonly token: (personId: string) => Promise<string>;
  readonly specs: readonly BundleSpec[];
  readonly concurrency: number;
  /** Submissions after which the fault is injected. */
  readonly faultAfter: number;
  readonly fault: () => Promise<void>;
  /** At most this long to follow the bundles after the last submission. */
  readonly settleMs: number;
  /** Give up earlier when no bundle completed for this long (a stall, not a slow authority). */
  readonly stallMs: number;
  /** How long one submission is retried while the platform refuses it. */
  readonly submitRetryMs: number;
  readonly log: (message: string) => void;
}

export interface LoadOutcome {
  readonly bundles: SubmittedBundle[];
  /** Submissions the gateway refused for good (4xx) or that never got through: not accepted, so not lost. */
  readonly refused: string[];
  readonly faultStart?: number;
  readonly faultEnd?: number;
  readonly faultError?: string;
}

interface Tracked {
  readonly spec: BundleSpec;
  readonly bundleId: string;
  readonly token: string;
  readonly submittedAt: number;
  completedAt?: number;
  steps: Record<string, string>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The shortest time between two rounds of asking the gateway about every open bundle. */
const POLL_ROUND_MS = 4_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stepsOf(body: Record<string, unknown>): Record<string, string> {
  const steps: Record<string, string> = {};
  if (Array.isArray(body.steps)) {
    for (const s of body.steps) {
      if (isRecord(s) && typeof s.key === 'string' && typeof s.state === 'string') steps[s.key] = s.state;
    }
  }
  return steps;
}

async function submit(
  options: LoadOptions,
  spec: BundleSpec,
): Promise<{ bundleId: string; token: string; submittedAt: number } | { refused: string }> {
  const submittedAt = Date.now();
  const key = randomUUID();
  const deadline = submittedAt + options.submitRetryMs;
  let last = '';
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    // Tokens are fetched per attempt: a long outage must not outlive the token.
    const token = await options.token(spec.applicantId);
    try {
      const response = await fetch(`${options.gatewayUrl}/api/bundles`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(spec.body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      if (response.status === 202 || response.status === 200 || response.status === 201) {
        const body: unknown = JSON.parse(text);
        if (isRecord(body) && typeof body.bundleId === 'string') return { bundleId: body.bundleId, token, submittedAt };
        return { refused: `${spec.householdId}: ${response.status} without a bundle id` };
      }
      last = `${response.status} ${text.slice(0, 300)}`;
      // 409: the same key still in progress; 429/5xx: the platform is (partly) down. Both: retry with the same key.
      if (response.status !== 409 && response.status !== 429 && response.status < 500) {
        return { refused: `${spec.householdId}: ${last}` };
      }
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(Math.min(5_000, 250 * 2 ** Math.min(attempt, 5)));
  }
  return { refused: `${spec.householdId}: not accepted within ${options.submitRetryMs} ms (last: ${last})` };
}

async function poll(options: LoadOptions, tracked: Tracked): Promise<void> {
  try {
    const response = await fetch(`${options.gatewayUrl}/api/bundles/${encodeURIComponent(tracked.bundleId)}`, {
      headers: { authorization: `Bearer ${tracked.token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status === 401) {
      // Expired during a long drill: a fresh token for the next round.
      (tracked as { token: string }).token = await options.token(tracked.spec.applicantId);
      return;
    }
    if (response.status !== 200) return;
    const body: unknown = await response.json();
    if (!isRecord(body)) return;
    tracked.steps = stepsOf(body);
    if (body.complete === true && tracked.completedAt === undefined) {
      const server = typeof body.completedAt === 'string' ? Date.parse(body.completedAt) : Number.NaN;
      tracked.completedAt = Number.isFinite(server) ? server : Date.now();
    }
  } catch {
    // The gateway may be the process just killed: the next round asks again.
  }
}

export async function runLoad(options: LoadOptions): Promise<LoadOutcome> {
  const tracked: Tracked[] = [];
  const refused: string[] = [];
  let next = 0;
  let submittedCount = 0;
  let faultStart: number | undefined;
  let faultEnd: number | undefined;
  let faultError: string | undefined;
  let faultPromise: Promise<void> | undefined;
  const fireFault = () => {
    if (faultPromise) return;
    faultStart = Date.now();
    options.log(`fault injected after ${next} submissions started (${submittedCount} accepted or refused)`);
    faultPromise = options
      .fault()
      .catch((error: unknown) => {
        faultError = error instanceof Error ? error.message : String(error);
      })
      .finally(() => {
        faultEnd = Date.now();
        options.log(`fault over after ${((faultEnd - (faultStart ?? faultEnd)) / 1000).toFixed(1)} s`);
      });
  };

  let following = true;
  const follower = (async () => {
    // Bounded: ends when told to stop (after the settle deadline) or when everything is complete.
    // Each open bundle is asked about once per round, and a round starts at most every POLL_ROUND_MS: polling
    // back to back made the drill's own GETs a large share of the gateway's and the database's load (a
    // bundle's completion time comes from the server's completedAt, so slower rounds do not lengthen it).
    while (following) {
      const roundStart = Date.now();
      const open = tracked.filter((t) => t.completedAt === undefined);
      for (let i = 0; i < open.length; i += 16) await Promise.all(open.slice(i, i + 16).map((t) => poll(options, t)));
      await sleep(Math.max(500, POLL_ROUND_MS - (Date.now() - roundStart)));
    }
  })();

  const worker = async () => {
    while (next < options.specs.length) {
      // Started, not finished, submissions count: the fault must land while bundles are in flight.
      if (next >= options.faultAfter) fireFault();
      const spec = options.specs[next++];
      if (!spec) break;
      const result = await submit(options, spec);
      submittedCount += 1;
      if ('refused' in result) refused.push(result.refused);
      else tracked.push({ spec, ...result, steps: {} });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  fireFault();
  await faultPromise;
  options.log(`all ${options.specs.length} submitted (${refused.length} refused); following until complete`);

  const deadline = Date.now() + options.settleMs;
  let lastProgress = Date.now();
  let progressBefore = -1;
  while (Date.now() < deadline && tracked.some((t) => t.completedAt === undefined)) {
    // Progress is any step finishing, not only whole bundles: a slow authority works through many bundles at once.
    const completed = tracked.filter((t) => t.completedAt !== undefined).length;
    const doneSteps = tracked.reduce((n, t) => n + Object.values(t.steps).filter((s) => s !== 'pending').length, 0);
    if (completed + doneSteps !== progressBefore) {
      options.log(`${completed}/${tracked.length} complete, ${doneSteps} steps final`);
      progressBefore = completed + doneSteps;
      lastProgress = Date.now();
    }
    if (Date.now() - lastProgress > options.stallMs) {
      options.log(`no step finished for ${options.stallMs / 1000} s: stalled`);
      break;
    }
    await sleep(1_000);
  }
  following = false;
  await follower;
  // One last look at every bundle: the final step states are what the checker judges.
  for (let i = 0; i < tracked.length; i += 16) await Promise.all(tracked.slice(i, i + 16).map((t) => poll(options, t)));

  const start = faultStart ?? 0;
  const end = faultEnd ?? start;
  const bundles: SubmittedBundle[] = tracked.map((t) => ({
    bundleId: t.bundleId,
    applicantId: t.spec.applicantId,
    personIds: t.spec.personIds,
    plates: t.spec.plates,
    appointmentWanted: t.spec.appointmentWanted,
    submittedAt: t.submittedAt,
    ...(t.completedAt === undefined ? {} : { completedAt: t.completedAt }),
    // In flight while the fault was active: submitted before it ended and not complete before it began.
    duringFault: t.submittedAt <= end && (t.completedAt === undefined || t.completedAt >= start),
    steps: t.steps,
  }));
  return {
    bundles,
    refused,
    ...(faultStart === undefined ? {} : { faultStart }),
    ...(faultEnd === undefined ? {} : { faultEnd }),
    ...(faultError === undefined ? {} : { faultError }),
  };
}
