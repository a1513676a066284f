import { uniqueName } from './names.js';
import { WaitAborted, waitUntil } from './wait.js';

describe('uniqueName', () => {
  it('gives distinct names valid for topics and databases', () => {
    const names = new Set(Array.from({ length: 100 }, () => uniqueName('registration.events v1')));
    expect(names.size).toBe(100);
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_-]{1,63}$/);
  });
});

describe('waitUntil', () => {
  it('returns the first truthy value', async () => {
    let calls = 0;
    const value = await waitUntil(() => (++calls >= 3 ? 'ready' : undefined), { intervalMs: 1 });
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('fails with the message and the last error after the timeout', async () => {
    await expect(
      waitUntil(
        () => {
          throw new Error('broker down');
        },
        { timeoutMs: 30, intervalMs: 5, message: 'broker ready' },
      ),
    ).rejects.toMatchObject({ message: expect.stringContaining('broker ready'), cause: { message: 'broker down' } });
  });
});

describe('waitUntil abort', () => {
  it('stops at once when the check aborts', async () => {
    const started = Date.now();
    await expect(
      waitUntil(
        () => {
          throw new WaitAborted('process exited');
        },
        { timeoutMs: 10_000 },
      ),
    ).rejects.toThrow('process exited');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
