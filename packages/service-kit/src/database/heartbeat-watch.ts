/**
 * Watches the MongoDB driver's server heartbeats and tells which of them
 * never ended. A heartbeat is the driver's periodic `hello` to a server; every
 * one that starts ends as succeeded or failed within its socket timeout. One
 * that does not has hung, and with it the driver's monitoring of that server:
 * no new check starts while one is in progress, so the server stays
 * "Unknown" and every operation fails server selection until the process
 * restarts. (Seen with driver 7.8/7.9 after a database restart under load:
 * a check wrote to a socket that had just been destroyed and waited for a
 * `drain` that never comes. See this package's README.)
 *
 * Pure: the caller feeds the driver's events and the clock.
 */
export class HeartbeatWatch {
  private readonly inFlight = new Map<string, number>();

  /** @param limitMs how long a heartbeat may take before it counts as hung. */
  constructor(readonly limitMs: number) {
    if (!(limitMs > 0)) throw new RangeError('the heartbeat limit must be > 0 ms');
  }

  started(address: string, now: number): void {
    this.inFlight.set(address, now);
  }

  ended(address: string): void {
    this.inFlight.delete(address);
  }

  /** The servers whose heartbeat has been running longer than the limit, with how long. */
  hung(now: number): { address: string; runningMs: number }[] {
    return [...this.inFlight]
      .map(([address, since]) => ({ address, runningMs: now - since }))
      .filter((h) => h.runningMs > this.limitMs);
  }

  /** Forgets everything: a new client starts with heartbeats of its own. */
  clear(): void {
    this.inFlight.clear();
  }
}

/**
 * The longest a heartbeat can take while the driver works as designed: in the
 * polling mode (FerretDB has no streaming `hello`), opening a monitoring
 * connection (up to `connectTimeoutMS` for TCP, as long again for the
 * handshake) or a `hello` on an open one (socket timeout `connectTimeoutMS`);
 * in the streaming mode (MongoDB), an awaited `hello` of up to
 * `heartbeatFrequencyMS` on top. A margin of one heartbeat period keeps a
 * slow but working check from counting as hung.
 */
export function heartbeatLimitMs(options: { connectTimeoutMS: number; heartbeatFrequencyMS: number }): number {
  return 2 * options.connectTimeoutMS + 2 * options.heartbeatFrequencyMS;
}
