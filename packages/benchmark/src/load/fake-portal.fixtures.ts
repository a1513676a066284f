import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the portal's HTTP API on loopback (submit, stream tickets,
 * live status stream, status), answering with chosen delays: for testing the
 * load generator's own behaviour without the platform.
 */
export interface FakePortal {
  url: string;
  submits: number;
  stop(): Promise<void>;
}

export async function fakePortal(options: {
  acceptMs: number;
  completeMs: number;
  neverComplete?: (n: number) => boolean;
}): Promise<FakePortal> {
  const bundles = new Map<string, { createdAt: number; never: boolean }>();
  let submits = 0;
  const view = (id: string) => {
    const b = bundles.get(id);
    const done = b !== undefined && !b.never && Date.now() - b.createdAt >= options.completeMs;
    const at = b ? new Date(b.createdAt + options.completeMs).toISOString() : undefined;
    return {
      bundleId: id,
      status: done ? 'complete' : 'in-progress',
      complete: done,
      ...(done ? { completedAt: at } : {}),
      steps: [
        {
          key: 'r',
          kind: 'registration',
          authority: 'registration',
          state: 'done',
          doneAt: b ? new Date(b.createdAt).toISOString() : undefined,
        },
        {
          key: 'd',
          kind: 'registration-confirmation',
          authority: 'document',
          state: done ? 'done' : 'pending',
          ...(done ? { doneAt: at } : {}),
        },
      ],
    };
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (
      !/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/.test(req.headers.authorization ?? '') &&
      !url.pathname.startsWith('/events/')
    ) {
      json(401, { title: 'no token' });
      return;
    }
    req.resume();
    if (req.method === 'POST' && url.pathname === '/api/bundles') {
      const n = submits++;
      setTimeout(() => {
        const id = `b-${n}`;
        bundles.set(id, { createdAt: Date.now(), never: options.neverComplete?.(n) ?? false });
        json(202, view(id));
      }, options.acceptMs);
      return;
    }
    const ticket = /^\/api\/bundles\/([\w-]+)\/stream-tickets$/.exec(url.pathname);
    if (req.method === 'POST' && ticket?.[1]) {
      json(201, { ticket: 't', expiresAt: new Date().toISOString(), eventsUrl: `/events/${ticket[1]}?ticket=t` });
      return;
    }
    const events = /^\/events\/([\w-]+)$/.exec(url.pathname);
    if (events?.[1]) {
      const id = events[1];
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('retry: 3000\n\n');
      let last = '';
      const send = () => {
        const data = JSON.stringify(view(id));
        if (data !== last) res.write(`event: status\ndata: ${data}\n\n`);
        last = data;
      };
      send();
      const timer = setInterval(send, 10);
      res.on('close', () => clearInterval(timer));
      return;
    }
    const get = /^\/api\/bundles\/([\w-]+)$/.exec(url.pathname);
    if (req.method === 'GET' && get?.[1]) {
      json(200, view(get[1]));
      return;
    }
    json(404, { title: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const portal: FakePortal = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get submits() {
      return submits;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return portal;
}
