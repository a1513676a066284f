/**
 * Runs tasks one after the other per key (tasks of different keys side by
 * side). The use cases take it per plate around every read-decide-write of a
 * vehicle, so a gRPC command and an event reaction in the same process never
 * write one vehicle document at once: FerretDB 1.x applies concurrent updates
 * of one document non-atomically (see the event-bus README), which the
 * version condition alone cannot fix there. Across replicas the version
 * condition (exact on MongoDB) and one consumer replica on FerretDB remain
 * the guard.
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
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
