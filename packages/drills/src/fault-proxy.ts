import net from 'node:net';

/** What the proxy does to the traffic right now; changed while it runs. */
export interface FaultSettings {
  /** Delay added to every chunk, in both directions (ms). */
  latencyMs: number;
  /** Random extra delay on top of `latencyMs`, uniformly 0..jitterMs. */
  jitterMs: number;
  /** Probability per forwarded chunk that the connection is reset (RST) instead. */
  resetProbability: number;
  /** When true new connections are reset at once (the upstream looks down). */
  refuseConnections: boolean;
}

export const NO_FAULTS: FaultSettings = { latencyMs: 0, jitterMs: 0, resetProbability: 0, refuseConnections: false };

export interface FaultProxyStats {
  connections: number;
  resets: number;
  bytesForwarded: number;
  /** Failures of the proxy's own connections to the upstream, by error code: tells a dead upstream from a fault. */
  upstreamErrors: Record<string, number>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of one upstream (the database, or a
 * broker) that injects latency and connection resets, as a flaky network
 * or a restarting load balancer would. Bytes are never altered: a fault is
 * either a delay or a dead connection, which is what clients must survive.
 *
 * Latency keeps the order of chunks per direction (each chunk waits for the
 * previous one), so a delayed stream is still a valid stream.
 */
export class FaultProxy {
  readonly stats: FaultProxyStats = { connections: 0, resets: 0, bytesForwarded: 0, upstreamErrors: {} };
  private settings: FaultSettings = { ...NO_FAULTS };
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    readonly upstream: { host: string; port: number },
    private readonly random: () => number,
  ) {}

  static async start(
    upstream: { host: string; port: number },
    options: { port?: number; random?: () => number } = {},
  ): Promise<FaultProxy> {
    if (upstream.host !== '127.0.0.1' && upstream.host !== 'localhost') {
      throw new Error(`the fault proxy forwards to loopback only, not ${upstream.host}`);
    }
    let proxy: FaultProxy | undefined;
    const server = net.createServer((client) => proxy?.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('the fault proxy has no address');
    proxy = new FaultProxy(server, address.port, upstream, options.random ?? Math.random);
    return proxy;
  }

  /** "127.0.0.1:<port>", to put into a client's connection string instead of the upstream. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  set(settings: Partial<FaultSettings>): void {
    this.settings = { ...this.settings, ...settings };
  }

  get current(): Readonly<FaultSettings> {
    return this.settings;
  }

  /** Client connections open right now (each has its upstream twin). */
  get open(): number {
    return this.sockets.size / 2;
  }

  /** Resets every open connection once (both sides see ECONNRESET). */
  resetAll(): number {
    const open = [...this.sockets];
    for (const socket of open) socket.resetAndDestroy();
    this.stats.resets += open.length;
    return open.length;
  }

  private accept(client: net.Socket): void {
    this.stats.connections += 1;
    if (this.settings.refuseConnections) {
      this.stats.resets += 1;
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(this.upstream.port, this.upstream.host);
    this.sockets.add(client);
    this.sockets.add(upstream);
    let closed = false;
    const close = (reset: boolean) => {
      if (closed) return;
      closed = true;
      this.sockets.delete(client);
      this.sockets.delete(upstream);
      if (reset) {
        this.stats.resets += 1;
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      } else {
        client.destroy();
        upstream.destroy();
      }
    };
    client.on('error', () => close(true));
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      // Errors after the proxy itself reset the pair (a fault, or the client went away) are its own doing.
      if (!closed) {
        const code = error.code ?? error.name;
        this.stats.upstreamErrors[code] = (this.stats.upstreamErrors[code] ?? 0) + 1;
      }
      close(true);
    });
    client.on('close', () => close(false));
    upstream.on('close', () => close(false));
    this.pipe(client, upstream, () => close(true));
    this.pipe(upstream, client, () => close(true));
  }

  private pipe(from: net.Socket, to: net.Socket, reset: () => void): void {
    // Chunks are released strictly in arrival order, each no earlier than its own delay.
    let chain: Promise<void> = Promise.resolve();
    from.on('data', (chunk: Buffer) => {
      const { latencyMs, jitterMs, resetProbability } = this.settings;
      if (resetProbability > 0 && this.random() < resetProbability) {
        reset();
        return;
      }
      const delay = latencyMs + (jitterMs > 0 ? this.random() * jitterMs : 0);
      const due = Date.now() + delay;
      chain = chain.then(async () => {
        const wait = due - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (!to.destroyed) {
          this.stats.bytesForwarded += chunk.length;
          to.write(chunk);
        }
      });
    });
    from.on('end', () => {
      void chain.then(() => to.end());
    });
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
