import { KeyedLock } from './key-lock.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedLock', () => {
  it('runs tasks of one key one after the other, in call order', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    let releaseFirst: () => void = () => undefined;
    const first = lock.run('person-1', async () => {
      log.push('first starts');
      await new Promise<void>((resolve) => {
        releaseFirst = resolve;
      });
      log.push('first ends');
    });
    const second = lock.run('person-1', async () => void log.push('second runs'));
    await tick();
    expect(log).toEqual(['first starts']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(log).toEqual(['first starts', 'first ends', 'second runs']);
  });

  it('runs tasks of different keys side by side', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    let release: () => void = () => undefined;
    const blocked = lock.run('person-1', async () => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    await lock.run('person-2', async () => void log.push('other key ran'));
    expect(log).toEqual(['other key ran']);
    release();
    await blocked;
  });

  it('keeps going after a failed task and passes its error to its caller only', async () => {
    const lock = new KeyedLock();
    const failing = lock.run('k', async () => {
      throw new Error('boom');
    });
    const next = lock.run('k', async () => 'ok');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});
