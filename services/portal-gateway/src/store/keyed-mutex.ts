/**
 * Runs async work one at a time per key within this process.
 *
 * Why: FerretDB 1.24 with its SQLite backend does not make a conditional
 * update atomic under concurrency — several `updateOne({ _id, version: n })`
 * racing on one document all report a match and the last write wins (checked
 * against the test image: 17 of 20 rounds of 8 concurrent updates lost
 * writes). MongoDB itself does not have this problem. The tracker therefore
 * only inserts (store/bundle-store.ts); the few updates left (a submission
 * record, an idempotency record) are written by the request that owns them,
 * and run one at a time here in case of a retry arriving meanwhile.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with work queued or running (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
