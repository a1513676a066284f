import { type Logger, platformMetrics } from '@buergerservice/telemetry';
import mongoose, { type ConnectOptions, type Connection } from 'mongoose';
import { HeartbeatWatch, heartbeatLimitMs } from './heartbeat-watch.js';

export interface DatabaseOptions {
  readonly logger: Logger;
  /** How long an operation waits for a usable server before it fails (default 10 s). */
  readonly serverSelectionTimeoutMS?: number;
  /** TCP connect timeout, and the socket timeout of a heartbeat (default 10 s). */
  readonly connectTimeoutMS?: number;
  /** Pause between two heartbeats of a server (default 10 s, the driver's own). */
  readonly heartbeatFrequencyMS?: number;
  /** How often the watchdog looks for a hung heartbeat (default 5 s). */
  readonly watchEveryMs?: number;
}

const REOPEN_MAX_DELAY_MS = 30_000;
const CLOSE_TIMEOUT_MS = 10_000;

/**
 * A service's MongoDB connection (mongoose) with a watchdog over the
 * driver's server monitoring. The driver recovers from a restarted or
 * unreachable database by itself, except when a heartbeat hangs (see
 * HeartbeatWatch): then its monitoring of the server has stopped for good.
 * The watchdog notices a heartbeat that has outlived every timeout that
 * applies to it, closes the client and opens a new one on the same
 * mongoose connection, so models and collections bound to it keep working.
 * Operations in flight at that moment fail and are retried by their callers
 * (consumers retry transient errors, relays their next pass, the portal its
 * request); none of them is lost, as nothing was acknowledged.
 */
export class Database {
  private readonly watch: HeartbeatWatch;
  private readonly timer: NodeJS.Timeout;
  private replacing: Promise<void> | undefined;
  private closed = false;

  private constructor(
    readonly connection: Connection,
    private readonly url: string,
    private readonly connectOptions: ConnectOptions,
    private readonly logger: Logger,
    watchEveryMs: number,
  ) {
    this.watch = new HeartbeatWatch(
      heartbeatLimitMs({
        connectTimeoutMS: connectOptions.connectTimeoutMS ?? 10_000,
        heartbeatFrequencyMS: connectOptions.heartbeatFrequencyMS ?? 10_000,
      }),
    );
    this.observeHeartbeats();
    this.timer = setInterval(() => this.inspect(), watchEveryMs);
    this.timer.unref();
  }

  /** Connects (waiting for the first server selection) and starts the watchdog. */
  static async connect(url: string, options: DatabaseOptions): Promise<Database> {
    const connectOptions: ConnectOptions = {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
      connectTimeoutMS: options.connectTimeoutMS ?? 10_000,
      heartbeatFrequencyMS: options.heartbeatFrequencyMS ?? 10_000,
    };
    const connection = await mongoose.createConnection(url, connectOptions).asPromise();
    const logger = options.logger.child({ component: 'database' });
    return new Database(connection, url, connectOptions, logger, options.watchEveryMs ?? 5_000);
  }

  /** How long a heartbeat may run before the watchdog replaces the client. */
  get heartbeatLimitMs(): number {
    return this.watch.limitMs;
  }

  /**
   * Closes the driver's client and opens a new one on the same connection;
   * what the watchdog does when a heartbeat hangs. Concurrent calls share
   * one replacement. Retries the opening with back-off until it succeeds or
   * the database is closed.
   */
  replaceClient(reason: string): Promise<void> {
    this.replacing ??= this.replace(reason).finally(() => {
      this.replacing = undefined;
    });
    return this.replacing;
  }

  /** Stops the watchdog and closes the connection (waits for a replacement in progress to end first). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.replacing;
    await this.connection.close();
  }

  private observeHeartbeats(): void {
    const client = this.connection.getClient();
    client.on('serverHeartbeatStarted', (event) => this.watch.started(event.connectionId, performance.now()));
    client.on('serverHeartbeatSucceeded', (event) => this.watch.ended(event.connectionId));
    client.on('serverHeartbeatFailed', (event) => this.watch.ended(event.connectionId));
  }

  private inspect(): void {
    if (this.closed || this.replacing) return;
    const hung = this.watch.hung(performance.now());
    if (hung.length === 0) return;
    const servers = hung.map((h) => `${h.address} (${Math.round(h.runningMs / 1000)} s)`).join(', ');
    void this.replaceClient(`heartbeat hung: ${servers}`);
  }

  private async replace(reason: string): Promise<void> {
    this.logger.error(
      { reason, heartbeatLimitMs: this.watch.limitMs },
      'database client stopped monitoring its server; replacing it',
    );
    platformMetrics().databaseClientsReplaced.add(1, { reason: 'heartbeat_hung' });
    this.watch.clear();
    try {
      await withTimeout(this.connection.close(), CLOSE_TIMEOUT_MS, 'closing the database client');
    } catch (error) {
      this.logger.warn({ err: error }, 'closing the old database client failed; opening a new one regardless');
    }
    for (let attempt = 1; !this.closed; attempt++) {
      try {
        await this.connection.openUri(this.url, this.connectOptions);
        this.observeHeartbeats();
        this.logger.info({ attempt }, 'database client replaced');
        return;
      } catch (error) {
        const delayMs = Math.min(REOPEN_MAX_DELAY_MS, 500 * 2 ** attempt);
        this.logger.warn({ err: error, attempt, delayMs }, 'opening a new database client failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
