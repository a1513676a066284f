import net from 'node:net';

/**
 * The simplest TCP proxy on loopback: forwards 127.0.0.1:<port> to an
 * upstream port and counts what passes, so a test can tell traffic that went
 * through it from traffic that went around it.
 */
export class LoopbackProxy {
  connections = 0;
  bytesToUpstream = 0;
  bytesFromUpstream = 0;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static async start(port: number, upstreamPort: number): Promise<LoopbackProxy> {
    let proxy: LoopbackProxy | undefined;
    const server = net.createServer((client) => {
      const self = proxy;
      if (!self) {
        client.destroy();
        return;
      }
      self.connections += 1;
      const upstream = net.connect(upstreamPort, '127.0.0.1');
      self.sockets.add(client);
      self.sockets.add(upstream);
      const close = () => {
        client.destroy();
        upstream.destroy();
        self.sockets.delete(client);
        self.sockets.delete(upstream);
      };
      client.on('data', (chunk: Buffer) => {
        self.bytesToUpstream += chunk.length;
      });
      upstream.on('data', (chunk: Buffer) => {
        self.bytesFromUpstream += chunk.length;
      });
      client.pipe(upstream);
      upstream.pipe(client);
      for (const socket of [client, upstream]) {
        socket.on('error', close);
        socket.on('close', close);
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    proxy = new LoopbackProxy(server, port);
    return proxy;
  }

  /** Closes the listening socket and every forwarded connection: the port refuses connections afterwards. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
