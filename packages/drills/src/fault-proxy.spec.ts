import net from 'node:net';
import { FaultProxy } from './fault-proxy.js';

/** An echo server on loopback: the proxy's upstream. */
async function echoServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function exchange(port: number, payload: string): Promise<{ reply: string; error?: string; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.length >= payload.length) {
        socket.end();
        resolve({ reply, ms: Date.now() - started });
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ reply, error: error.code ?? error.message, ms: Date.now() - started }),
    );
    socket.on('close', () => resolve({ reply, error: 'closed', ms: Date.now() - started }));
    socket.write(payload);
  });
}

describe('FaultProxy', () => {
  let upstream: Awaited<ReturnType<typeof echoServer>>;
  let proxy: FaultProxy;

  beforeEach(async () => {
    upstream = await echoServer();
    proxy = await FaultProxy.start({ host: '127.0.0.1', port: upstream.port });
  });

  afterEach(async () => {
    await proxy.stop();
    await upstream.close();
  });

  it('forwards bytes unchanged when no fault is set', async () => {
    const result = await exchange(proxy.port, 'hello, database');
    expect(result).toMatchObject({ reply: 'hello, database' });
    expect(proxy.stats.connections).toBe(1);
  });

  it('delays traffic in both directions by the configured latency', async () => {
    proxy.set({ latencyMs: 150 });
    const result = await exchange(proxy.port, 'slow');
    expect(result.reply).toBe('slow');
    // Once on the way up, once on the way back.
    expect(result.ms).toBeGreaterThanOrEqual(290);
  });

  it('resets connections with the configured probability', async () => {
    proxy.set({ resetProbability: 1 });
    const result = await exchange(proxy.port, 'doomed');
    expect(result.reply).toBe('');
    expect(result.error).toBeDefined();
    expect(proxy.stats.resets).toBeGreaterThanOrEqual(1);
  });

  it('refuses new connections while the upstream is made to look down, and recovers', async () => {
    proxy.set({ refuseConnections: true });
    expect((await exchange(proxy.port, 'x')).error).toBeDefined();
    proxy.set({ refuseConnections: false });
    expect((await exchange(proxy.port, 'back')).reply).toBe('back');
  });

  it('resets every open connection on demand', async () => {
    const socket = net.connect(proxy.port, '127.0.0.1');
    const failed = new Promise<string>((resolve) => {
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      socket.on('close', () => resolve('closed'));
    });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(proxy.resetAll()).toBeGreaterThanOrEqual(1);
    expect(['ECONNRESET', 'closed']).toContain(await failed);
  });

  it('counts its own failures to reach the upstream by code, and resets the client', async () => {
    await upstream.close();
    expect(proxy.open).toBe(0);
    const result = await exchange(proxy.port, 'anyone there?');
    expect(result.error).toBe('ECONNRESET');
    expect(proxy.stats.upstreamErrors).toEqual({ ECONNREFUSED: 1 });
    expect(proxy.open).toBe(0);
  });

  it('forwards to loopback only', async () => {
    await expect(FaultProxy.start({ host: '10.0.0.1', port: 27017 })).rejects.toThrow(/loopback/);
  });
});
