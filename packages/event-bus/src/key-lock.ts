/**
 * Runs tasks one after the other per key, tasks of different keys side by
 * side. The consumer uses it so that two events about one person (from two
 * topics, consumed concurrently) never update that person's documents at
 * the same time: FerretDB 1.x does not apply concurrent updates of one
 * document atomically (see outbox/relay-state.ts).
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(task, task);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      // The last task of a key removes the entry, so the map stays small.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
