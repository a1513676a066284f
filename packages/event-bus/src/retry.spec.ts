import { backoffSchedule, baseDelay, delayBefore, retryPolicy, sleep, withRetries } from './retry.js';

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

  it.each([{ attempts: 0 }, { attempts: 1.5 }, { initialDelayMs: 10, maxDelayMs: 5 }, { factor: 0.5 }, { jitter: 2 }])(
    'rejects the nonsense policy %p',
    (overrides) => {
      expect(() => retryPolicy(overrides)).toThrow(RangeError);
    },
  );
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
    expect(result).toEqual({ status: 'succeeded', value: 'ok', attempts: 3 });
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
