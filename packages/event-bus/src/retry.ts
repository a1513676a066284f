/**
 * In-process retries of a failing event handler. Bounded on purpose: a
 * handler that still fails after the last attempt is dead-lettered, so one
 * bad event never blocks its partition for long.
 *
 * Failures the caller classifies as transient (the database or network is
 * unreachable, see transient.ts) are retried with the same backoff but spend
 * no attempts, for at most `transientBudgetMs`: an outage says nothing about
 * the event, and dead-lettering events that would succeed once it is over
 * loses them (the drills' database reset dead-lettered three events in the
 * five attempts' 1.5 s).
 */
export interface RetryPolicy {
  /** Attempts in total, including the first (≥ 1). Transient failures within the budget spend none. */
  readonly attempts: number;
  /** Delay before the second attempt. */
  readonly initialDelayMs: number;
  /** Upper bound of any delay. */
  readonly maxDelayMs: number;
  /** Growth of the delay per attempt (≥ 1). */
  readonly factor: number;
  /**
   * Share of each delay that is randomised (0 = none, 1 = "full jitter").
   * Spreads retries of many consumers hitting the same broken dependency.
   */
  readonly jitter: number;
  /**
   * How long after a record's first attempt transient failures are retried
   * without spending attempts (0 = never). Afterwards they spend attempts
   * like any other failure, so a handler that always throws a network-looking
   * error still ends in the dead-letter topic instead of holding its
   * partition for good. Meanwhile the partition waits: later events of the
   * same person must not overtake this one.
   */
  readonly transientBudgetMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 5,
  initialDelayMs: 100,
  maxDelayMs: 5_000,
  factor: 2,
  jitter: 0.2,
  // Outlasts a database failover or restart (the drills saw clients take minutes to reconnect) and stays well
  // below the time after which a stuck partition would be noticed as an incident of its own.
  transientBudgetMs: 10 * 60_000,
};

/** Fills in and checks a partial policy; throws on nonsense values at start-up rather than misbehaving later. */
export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...defaultRetryPolicy, ...overrides };
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) throw new RangeError('retry attempts must be ≥ 1');
  if (policy.initialDelayMs < 0 || policy.maxDelayMs < policy.initialDelayMs) {
    throw new RangeError('retry delays must satisfy 0 ≤ initialDelayMs ≤ maxDelayMs');
  }
  if (policy.factor < 1) throw new RangeError('retry factor must be ≥ 1');
  if (policy.jitter < 0 || policy.jitter > 1) throw new RangeError('retry jitter must be within 0..1');
  if (!(policy.transientBudgetMs >= 0) || !Number.isFinite(policy.transientBudgetMs)) {
    throw new RangeError('retry transientBudgetMs must be a finite number ≥ 0');
  }
  return policy;
}

/**
 * The delay before attempt `attempt` (2-based: attempt 1 has no delay),
 * without jitter: initial × factor^(attempt-2), capped.
 */
export function baseDelay(attempt: number, policy: RetryPolicy): number {
  if (attempt <= 1) return 0;
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** (attempt - 2));
}

/** The delay before `attempt` with jitter applied; `random` is injectable for tests. */
export function delayBefore(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const base = baseDelay(attempt, policy);
  const jittered = base * (1 - policy.jitter * random());
  return Math.round(jittered);
}

/** The base delays between the attempts of a policy (attempts − 1 of them). */
export function backoffSchedule(policy: RetryPolicy): number[] {
  return Array.from({ length: policy.attempts - 1 }, (_, i) => baseDelay(i + 2, policy));
}

/** Sleeps, but wakes up early when `signal` aborts (a consumer stopping must not wait out a backoff). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * How a retry loop ended. `attempts`: handler calls made, transient failures
 * included (what a dead letter reports). `counted`: the calls that spent the
 * policy's attempts — every call except transient failures within the budget.
 */
export type RetryResult<T> =
  | { readonly status: 'succeeded'; readonly value: T; readonly attempts: number; readonly counted: number }
  | { readonly status: 'exhausted'; readonly error: unknown; readonly attempts: number; readonly counted: number }
  /** Stopped (signal aborted) after a failed attempt: neither succeeded nor given up on. */
  | { readonly status: 'abandoned'; readonly error: unknown; readonly attempts: number; readonly counted: number };

/** About a failed attempt that will be retried. */
export interface RetryDetails {
  /** Classified as transient and within the budget: it spent no attempt. */
  readonly transient: boolean;
  /** Attempts spent so far (see RetryResult). */
  readonly counted: number;
}

/** Time for the retry loop; injectable so tests need not wait. */
export interface RetryClock {
  /** Monotonic milliseconds. */
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: RetryClock = { now: () => performance.now(), sleep };

export interface RetryHooks {
  /** Aborting ends the retries after the attempt in flight, or at once during a backoff. */
  readonly signal?: AbortSignal;
  /** Called after a failed attempt that will be retried. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number, details: RetryDetails) => void | Promise<void>;
  readonly random?: () => number;
  /** Failures for which it returns true spend no attempts within the policy's transientBudgetMs. Default: none. */
  readonly isTransient?: (error: unknown) => boolean;
  readonly clock?: RetryClock;
}

/**
 * Runs `attempt` until it succeeds, the policy's attempts are spent, or the
 * signal aborts. Never throws what `attempt` throws. The backoff grows with
 * every failed call, transient or not, and is capped at maxDelayMs: during
 * an outage the record is tried every maxDelayMs (less jitter).
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: (attemptNumber: number) => Promise<T>,
  hooks: RetryHooks = {},
): Promise<RetryResult<T>> {
  const clock = hooks.clock ?? systemClock;
  const started = clock.now();
  let counted = 0;
  for (let n = 1; ; n++) {
    try {
      const value = await attempt(n);
      return { status: 'succeeded', value, attempts: n, counted: counted + 1 };
    } catch (error) {
      if (hooks.signal?.aborted) return { status: 'abandoned', error, attempts: n, counted };
      const transient = (hooks.isTransient?.(error) ?? false) && clock.now() - started < policy.transientBudgetMs;
      if (!transient) counted++;
      if (counted >= policy.attempts) return { status: 'exhausted', error, attempts: n, counted };
      const delayMs = delayBefore(n + 1, policy, hooks.random);
      await hooks.onRetry?.(error, n, delayMs, { transient, counted });
      await clock.sleep(delayMs, hooks.signal);
      if (hooks.signal?.aborted) return { status: 'abandoned', error, attempts: n, counted };
    }
  }
}
