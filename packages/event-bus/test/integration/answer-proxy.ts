import net from 'node:net';

/**
 * A TCP proxy on loopback in front of one upstream that spoils traffic on
 * demand, for the fault tests of this package:
 *
 * - in front of a broker's proxied listener (see `startKafka({ kafkaProxy })`)
 *   it spoils the broker's answers (`lose`, `cut`): requests always reach the
 *   broker, so the tests can tell "the broker did it, the client never
 *   learned" apart from "nothing happened";
 * - in front of the database it makes the upstream unreachable (`resetAll()`
 *   and `refuse`), as a database restart or a network outage would.
 */
export class AnswerProxy {
  /** Answers (chunks from the broker) still to lose: the connection is reset instead of forwarding them. */
  lose = 0;
  /** Answers still to cut: the first half of the chunk is forwarded, then the connection is reset. */
  cut = 0;
  /** Only chunks of at least this many bytes are cut (e.g. fetch answers carrying records). */
  cutAtLeast = 1;
  /** While true, new connections are reset at once (the upstream looks down). */
  refuse = false;
  lost = 0;
  cuts = 0;
  /** Connections reset by `refuse`. */
  refused = 0;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    /** The port the proxy listens on (the one asked for, or the one the system chose for 0). */
    readonly port: number,
  ) {}

  /** Listens on 127.0.0.1:`port` (0: any free port) and forwards to 127.0.0.1:`upstreamPort`. */
  static async start(port: number, upstreamPort: number): Promise<AnswerProxy> {
    let proxy: AnswerProxy | undefined;
    const server = net.createServer((client) => proxy?.accept(client, upstreamPort));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('the proxy has no address');
    proxy = new AnswerProxy(server, address.port);
    return proxy;
  }

  /** Resets every open connection (both sides see ECONNRESET); returns how many pairs were open. */
  resetAll(): number {
    const open = [...this.sockets];
    for (const socket of open) socket.resetAndDestroy();
    this.sockets.clear();
    return open.length / 2;
  }

  private accept(client: net.Socket, upstreamPort: number): void {
    if (this.refuse) {
      this.refused += 1;
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    this.sockets.add(client);
    this.sockets.add(upstream);
    const reset = () => {
      client.resetAndDestroy();
      upstream.resetAndDestroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      if (this.lose > 0) {
        this.lose -= 1;
        this.lost += 1;
        reset();
        return;
      }
      if (this.cut > 0 && chunk.length >= this.cutAtLeast) {
        this.cut -= 1;
        this.cuts += 1;
        // The reset follows the write in the same tick: the client gets half an answer, then ECONNRESET.
        client.write(chunk.subarray(0, Math.floor(chunk.length / 2)), () => reset());
        return;
      }
      client.write(chunk);
    });
    for (const socket of [client, upstream]) {
      socket.on('error', reset);
      socket.on('close', reset);
    }
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
