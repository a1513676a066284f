import net from 'node:net';

/**
 * A TCP proxy on loopback in front of a broker's proxied listener (see
 * `startKafka({ kafkaProxy })`) that spoils the broker's answers on demand:
 * requests always reach the broker, so the tests can tell "the broker did
 * it, the client never learned" apart from "nothing happened".
 */
export class AnswerProxy {
  /** Answers (chunks from the broker) still to lose: the connection is reset instead of forwarding them. */
  lose = 0;
  /** Answers still to cut: the first half of the chunk is forwarded, then the connection is reset. */
  cut = 0;
  /** Only chunks of at least this many bytes are cut (e.g. fetch answers carrying records). */
  cutAtLeast = 1;
  lost = 0;
  cuts = 0;
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly server: net.Server) {}

  static async start(port: number, upstreamPort: number): Promise<AnswerProxy> {
    let proxy: AnswerProxy | undefined;
    const server = net.createServer((client) => proxy?.accept(client, upstreamPort));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    proxy = new AnswerProxy(server);
    return proxy;
  }

  private accept(client: net.Socket, upstreamPort: number): void {
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
