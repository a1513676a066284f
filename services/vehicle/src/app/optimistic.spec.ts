import { MAX_WRITE_ATTEMPTS, retryOnConflict } from './optimistic.js';

describe('read-decide-write with version conflicts', () => {
  it('tries again after a conflict', async () => {
    let attempts = 0;
    const value = await retryOnConflict('test', async () => {
      attempts++;
      return attempts < 3 ? { conflict: true } : { conflict: false, value: 'done' };
    });
    expect(value).toBe('done');
    expect(attempts).toBe(3);
  });

  it('gives up with a retryable domain error after the bounded attempts', async () => {
    let attempts = 0;
    await expect(
      retryOnConflict('update holder address', async () => {
        attempts++;
        return { conflict: true };
      }),
    ).rejects.toMatchObject({ code: 'concurrent-modification' });
    expect(attempts).toBe(MAX_WRITE_ATTEMPTS);
  });
});
