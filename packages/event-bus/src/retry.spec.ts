import {
  backoffSchedule,
  baseDelay,
  delayBefore,
  type RetryClock,
  type RetryDetails,
  retryPolicy,
  sleep,
  withRetries,
} from './retry.js';

/** Time that passes only when the retry loop sleeps: no real waiting. */
function virtualClock(): RetryClock & { readonly sleeps: number[] } {
  let time = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => time,
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      if (!signal?.aborted) time += ms;
    },
  };
}

class NetworkDown extends Error {
  override readonly name = 'NetworkDown';
}
const isNetworkDown = (error: unknown) => error instanceof NetworkDown;

describe('backoff', () => {
  const policy = retryPolicy({ attempts: 5, initialDelayMs: 100, maxDelayMs: 5_000, factor: 2, jitter: 0 });

  it('waits 100, 200, 400, 800 ms between five attempts by default shape', () => {
    expect(backoffSchedule(policy)).toEqual([100, 200, 400, 800]);
  });

  it('caps the delay at maxDelayMs', () => {
    const long = retryPolicy({ attempts: 10, initialDelayMs: 100, maxDelayMs: 5_000, factor: 2, jitter: 0 });
    expect(backoffSchedule(long)).toEqual([100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000]);
  });

  it('has no delay before the first attempt', () => {
    expect(baseDelay(1, policy)).toBe(0);
  });

  it('applies jitter downwards only, within its share', () => {
    const jittery = retryPolicy({ ...policy, jitter: 0.5 });
    expect(delayBefore(3, jittery, () => 0)).toBe(200);
    expect(delayBefore(3, jittery, () => 1)).toBe(100);
    expect(delayBefore(3, jittery, () => 0.5)).toBe(150);
  });

  it('defaults to five attempts from 100 ms up to 5 s', () => {
    const defaults = retryPolicy();
    expect(defaults.attempts).toBe(5);
    expect(defaults.initialDelayMs).toBe(100);
    expect(defaults.maxDelayMs).toBe(5_000);
  });

  it('retries transient failures for up to ten minutes by default', () => {
    expect(retryPolicy().transientBudgetMs).toBe(600_000);
  });

  it.each([
    { attempts: 0 },
    { attempts: 1.5 },
    { initialDelayMs: 10, maxDelayMs: 5 },
    { factor: 0.5 },
    { jitter: 2 },
    { transientBudgetMs: -1 },
    { transientBudgetMs: Number.NaN },
    { transientBudgetMs: Number.POSITIVE_INFINITY },
  ])('rejects the nonsense policy %p', (overrides) => {
    expect(() => retryPolicy(overrides)).toThrow(RangeError);
  });
});

describe('withRetries', () => {
  const fast = retryPolicy({ attempts: 4, initialDelayMs: 1, maxDelayMs: 4, factor: 2, jitter: 0 });

  it('returns the value of the first success and how many attempts it took', async () => {
    let calls = 0;
    const result = await withRetries(fast, async () => {
      calls++;
      if (calls < 3) throw new Error(`failure ${calls}`);
      return 'ok';
    });
    expect(result).toEqual({ status: 'succeeded', value: 'ok', attempts: 3, counted: 3 });
  });

  it('gives up after the last attempt with the last error', async () => {
    const retries: [number, number][] = [];
    const result = await withRetries(
      fast,
      async (attempt) => {
        throw new Error(`failure ${attempt}`);
      },
      { onRetry: (_error, attempt, delay) => void retries.push([attempt, delay]) },
    );
    expect(result.status).toBe('exhausted');
    expect(result.attempts).toBe(4);
    expect(result.status === 'exhausted' && (result.error as Error).message).toBe('failure 4');
    expect(retries).toEqual([
      [1, 1],
      [2, 2],
      [3, 4],
    ]);
  });

  it('abandons instead of retrying once the signal is aborted', async () => {
    const stop = new AbortController();
    let calls = 0;
    const result = await withRetries(
      fast,
      async () => {
        calls++;
        stop.abort();
        throw new Error('failed while stopping');
      },
      { signal: stop.signal },
    );
    expect(result.status).toBe('abandoned');
    expect(calls).toBe(1);
  });

  it('wakes a backoff sleep early when aborted', async () => {
    jest.useFakeTimers();
    try {
      const stop = new AbortController();
      let woke = false;
      const sleeping = sleep(60_000, stop.signal).then(() => {
        woke = true;
      });
      await Promise.resolve();
      expect(woke).toBe(false);
      stop.abort();
      await sleeping;
      expect(woke).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('withRetries with transient failures', () => {
  const policy = retryPolicy({
    attempts: 3,
    initialDelayMs: 100,
    maxDelayMs: 400,
    factor: 2,
    jitter: 0,
    transientBudgetMs: 10_000,
  });

  it('does not spend attempts on transient failures: many more failures than attempts, then success', async () => {
    const clock = virtualClock();
    const details: RetryDetails[] = [];
    const result = await withRetries(
      policy,
      async (attempt) => {
        if (attempt <= 8) throw new NetworkDown(`write ECONNRESET (${attempt})`);
        return 'ok';
      },
      { clock, isTransient: isNetworkDown, onRetry: (_e, _n, _d, d) => void details.push(d) },
    );
    expect(result).toEqual({ status: 'succeeded', value: 'ok', attempts: 9, counted: 1 });
    expect(details.every((d) => d.transient && d.counted === 0)).toBe(true);
    // Same capped backoff as for any failure.
    expect(clock.sleeps).toEqual([100, 200, 400, 400, 400, 400, 400, 400]);
  });

  it('still spends attempts on the other failures in between', async () => {
    const clock = virtualClock();
    const failures = [new NetworkDown('a'), new Error('b'), new NetworkDown('c'), new NetworkDown('d'), new Error('e')];
    const counted: number[] = [];
    const result = await withRetries(
      policy,
      async (attempt) => {
        const failure = failures[attempt - 1];
        if (failure) throw failure;
        throw new Error('final');
      },
      { clock, isTransient: isNetworkDown, onRetry: (_e, _n, _d, d) => void counted.push(d.counted) },
    );
    expect(result.status).toBe('exhausted');
    expect(result).toMatchObject({ attempts: 6, counted: 3 });
    expect(result.status === 'exhausted' && (result.error as Error).message).toBe('final');
    expect(counted).toEqual([0, 1, 1, 1, 2]);
  });

  it('exhausts non-transient failures after the attempts as before', async () => {
    const clock = virtualClock();
    const result = await withRetries(
      policy,
      async () => {
        throw new RangeError('no register entry');
      },
      { clock, isTransient: isNetworkDown },
    );
    expect(result).toMatchObject({ status: 'exhausted', attempts: 3, counted: 3 });
  });

  it('counts transient failures like any other once the budget is spent', async () => {
    const clock = virtualClock();
    const details: RetryDetails[] = [];
    const result = await withRetries(
      policy,
      async () => {
        throw new NetworkDown('always down');
      },
      { clock, isTransient: isNetworkDown, onRetry: (_e, _n, _d, d) => void details.push(d) },
    );
    expect(result.status).toBe('exhausted');
    // Calls at 0, 100, 300, 700, … 9 900 ms (27) fail within the budget; those at 10 300, 10 700
    // and 11 100 ms spend the three attempts.
    expect(result).toMatchObject({ attempts: 30, counted: 3 });
    expect(details.filter((d) => d.transient)).toHaveLength(27);
    expect(details.slice(-2)).toEqual([
      { transient: false, counted: 1 },
      { transient: false, counted: 2 },
    ]);
  });

  it('counts every failure when the budget is 0', async () => {
    const result = await withRetries(
      retryPolicy({ ...policy, transientBudgetMs: 0 }),
      async () => {
        throw new NetworkDown('down');
      },
      { clock: virtualClock(), isTransient: isNetworkDown },
    );
    expect(result).toMatchObject({ status: 'exhausted', attempts: 3, counted: 3 });
  });

  it('treats nothing as transient without a classifier', async () => {
    const result = await withRetries(
      policy,
      async () => {
        throw new NetworkDown('down');
      },
      { clock: virtualClock() },
    );
    expect(result).toMatchObject({ status: 'exhausted', attempts: 3, counted: 3 });
  });

  it('ends a transient backoff at once when the signal aborts', async () => {
    const stop = new AbortController();
    let sleeps = 0;
    // Later backoffs last a minute of real time: only the abort can end them in time for the test.
    const clock: RetryClock = {
      now: () => 0,
      sleep: (_ms, signal) => {
        sleeps++;
        if (sleeps === 5) queueMicrotask(() => stop.abort());
        return sleeps >= 5 ? sleep(60_000, signal) : Promise.resolve();
      },
    };
    let calls = 0;
    const result = await withRetries(
      policy,
      async () => {
        calls++;
        throw new NetworkDown('down');
      },
      { clock, signal: stop.signal, isTransient: isNetworkDown },
    );
    expect(result).toMatchObject({ status: 'abandoned', attempts: 5, counted: 0 });
    expect(calls).toBe(5);
  });
});
