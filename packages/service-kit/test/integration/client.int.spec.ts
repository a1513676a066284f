import { document } from '@buergerservice/contracts';
import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import {
  call,
  createClient,
  createGrpcServer,
  type GrpcServer,
  isServiceError,
  UnavailableError,
  type UnaryHandlers,
} from '../../src/index';
import { memoryLogger } from '../support/memory-logger';

interface Seen {
  attempts: number;
  deadlines: (Date | undefined)[];
  aborted: number;
}

/** GetDocument fails with UNAVAILABLE for the first `failures` attempts of each document id, then answers. */
function flakyHandlers(
  seen: Seen,
  failures: Map<string, number>,
): UnaryHandlers<typeof document.DocumentServiceService> {
  return {
    async getDocument(req, ctx) {
      seen.attempts++;
      seen.deadlines.push(ctx.deadline);
      if (req.documentId === 'd-hang') {
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
        seen.aborted++;
        throw ctx.signal.reason;
      }
      const left = failures.get(req.documentId) ?? 0;
      if (left > 0) {
        failures.set(req.documentId, left - 1);
        throw new UnavailableError('store not reachable');
      }
      return { document: document.Document.fromPartial({ documentId: req.documentId }) };
    },
    async listDocuments(_req, ctx) {
      // Echoes what arrived in the metadata, so the test can see it.
      const [requestId] = ctx.metadata.get('x-request-id');
      return { documents: [document.Document.fromPartial({ documentId: String(requestId), personId: ctx.clientId })] };
    },
    async verifyDocument() {
      throw new Error('not used');
    },
    async getSigningKey() {
      throw new Error('not used');
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    if (isServiceError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('client helpers', () => {
  const { logger } = memoryLogger();
  const seen: Seen = { attempts: 0, deadlines: [], aborted: 0 };
  const failures = new Map<string, number>();
  let server: GrpcServer;
  let address: string;
  const client = (clientId = 'portal-gateway', defaultDeadlineMs?: number) =>
    createClient(document.DocumentServiceClient, address, {
      security: { insecure: true, clientId },
      defaultDeadlineMs,
      logger,
    });

  beforeAll(async () => {
    server = createGrpcServer({
      security: { insecure: true },
      authorization: { 'portal-gateway': { rpcs: '*' }, jobcenter: { rpcs: [] } },
      logger,
    }).addService(document.DocumentServiceService, flakyHandlers(seen, failures));
    address = `127.0.0.1:${await server.start(0)}`;
  });

  afterAll(() => server.stop({ graceMs: 1_000 }));

  beforeEach(() => {
    seen.attempts = 0;
    seen.deadlines = [];
    seen.aborted = 0;
  });

  it('retries an idempotent call after UNAVAILABLE with backoff', async () => {
    failures.set('d-1', 2);
    const c = client();
    const answer = await call(c, 'getDocument', { documentId: 'd-1' }, { idempotent: true, retries: 3, backoffMs: 20 });
    expect(answer.document?.documentId).toBe('d-1');
    expect(seen.attempts).toBe(3);
    c.close();
  });

  it('gives up after the configured retries', async () => {
    failures.set('d-2', 5);
    const c = client();
    const error = await failure(
      call(c, 'getDocument', { documentId: 'd-2' }, { idempotent: true, retries: 1, backoffMs: 10 }),
    );
    expect(error.code).toBe(status.UNAVAILABLE);
    expect(seen.attempts).toBe(2);
    c.close();
  });

  it('never retries a call not marked idempotent', async () => {
    failures.set('d-3', 1);
    const c = client();
    const error = await failure(call(c, 'getDocument', { documentId: 'd-3' }));
    expect(error.code).toBe(status.UNAVAILABLE);
    expect(seen.attempts).toBe(1);
    c.close();
  });

  it('retries an idempotent call after DEADLINE_EXCEEDED, each attempt with its own deadline', async () => {
    const c = client();
    const error = await failure(
      call(
        c,
        'getDocument',
        { documentId: 'd-hang' },
        { idempotent: true, retries: 1, backoffMs: 10, deadlineMs: 150 },
      ),
    );
    expect(error.code).toBe(status.DEADLINE_EXCEEDED);
    expect(seen.attempts).toBe(2);
    c.close();
  });

  it('does not retry refusals', async () => {
    const c = client('jobcenter');
    const error = await failure(call(c, 'getDocument', { documentId: 'd-4' }, { idempotent: true, retries: 3 }));
    expect(error.code).toBe(status.PERMISSION_DENIED);
    expect(seen.attempts).toBe(0);
    c.close();
  });

  it("sets the client's default deadline on every call, also on the generated methods used directly", async () => {
    const c = client('portal-gateway', 7_000);
    const before = Date.now();
    await new Promise<void>((resolve, reject) =>
      c.getDocument({ documentId: 'd-5' }, (error) => (error ? reject(error) : resolve())),
    );
    await call(c, 'getDocument', { documentId: 'd-6' });
    await call(c, 'getDocument', { documentId: 'd-7' }, { deadlineMs: 60_000 });
    const [direct, viaCall, explicit] = seen.deadlines.map((d) => (d ? d.getTime() - before : undefined));
    expect(direct).toBeGreaterThan(6_000);
    expect(direct).toBeLessThanOrEqual(7_100);
    expect(viaCall).toBeGreaterThan(6_000);
    expect(viaCall).toBeLessThanOrEqual(7_100);
    expect(explicit).toBeGreaterThan(59_000);
    c.close();
  });

  it('cancels the call when the signal aborts, and the server handler sees it', async () => {
    const c = client();
    const controller = new AbortController();
    const pending = failure(call(c, 'getDocument', { documentId: 'd-hang' }, { signal: controller.signal }));
    for (let i = 0; i < 100 && seen.attempts === 0; i++) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    expect((await pending).code).toBe(status.CANCELLED);
    for (let i = 0; i < 100 && seen.aborted === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(seen.aborted).toBe(1);
    c.close();
  });

  it('passes caller metadata through, next to the client id', async () => {
    const c = client();
    const metadata = new Metadata();
    metadata.set('x-request-id', 'r-1');
    const answer = await call(c, 'listDocuments', { personId: 'p-1' }, { metadata });
    expect(answer.documents.map((d) => [d.documentId, d.personId])).toEqual([['r-1', 'portal-gateway']]);
    c.close();
  });

  it('types method names and requests from the generated client', () => {
    const c = client();
    // Compile-time checks: these lines must not type-check (tsc fails otherwise).
    // @ts-expect-error: no such method
    const misspelled = () => call(c, 'getDocumnt', { documentId: 'd-1' });
    // @ts-expect-error: GetDocumentRequest has no personId
    const wrongRequest = () => call(c, 'getDocument', { personId: 'p-1' });
    // @ts-expect-error: retries only for idempotent calls
    const retriedCommand = () => call(c, 'getDocument', { documentId: 'd-1' }, { retries: 2 });
    expect([misspelled, wrongRequest, retriedCommand].every((f) => typeof f === 'function')).toBe(true);
    c.close();
  });
});
