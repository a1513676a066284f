/**
 * In-process retries of a failing event handler. Bounded on purpose: a
 * handler that still fails after the last attempt is dead-lettered, so one
 * bad event never blocks its partition for long.
 */
export interface RetryPolicy {
  /** Attempts in total, including the first (≥ 1). */
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
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 5,
  initialDelayMs: 100,
  maxDelayMs: 5_000,
  factor: 2,
  jitter: 0.2,
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

export type RetryResult<T> =
  | { readonly status: 'succeeded'; readonly value: T; readonly attempts: number }
  | { readonly status: 'exhausted'; readonly error: unknown; readonly attempts: number }
  /** Stopped (signal aborted) after a failed attempt: neither succeeded nor given up on. */
  | { readonly status: 'abandoned'; readonly error: unknown; readonly attempts: number };

export interface RetryHooks {
  /** Aborting ends the retries after the attempt in flight. */
  readonly signal?: AbortSignal;
  /** Called after a failed attempt that will be retried. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void | Promise<void>;
  readonly random?: () => number;
}

/** Runs `attempt` until it succeeds, the policy is exhausted, or the signal aborts. Never throws what `attempt` throws. */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: (attemptNumber: number) => Promise<T>,
  hooks: RetryHooks = {},
): Promise<RetryResult<T>> {
  for (let n = 1; ; n++) {
    try {
      return { status: 'succeeded', value: await attempt(n), attempts: n };
    } catch (error) {
      if (hooks.signal?.aborted) return { status: 'abandoned', error, attempts: n };
      if (n >= policy.attempts) return { status: 'exhausted', error, attempts: n };
      const delayMs = delayBefore(n + 1, policy, hooks.random);
      await hooks.onRetry?.(error, n, delayMs);
      await sleep(delayMs, hooks.signal);
      if (hooks.signal?.aborted) return { status: 'abandoned', error, attempts: n };
    }
  }
}
