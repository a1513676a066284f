import { document } from '@buergerservice/contracts';
import { Client, credentials, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import {
  call,
  createClient,
  createGrpcServer,
  type GrpcServer,
  INTERNAL_MESSAGE,
  isServiceError,
  readFieldViolations,
} from '../../src/index';
import { documentHandlers, newObserved, type Observed } from '../support/document-service';
import { memoryLogger } from '../support/memory-logger';
import { healthCheck, reflect } from '../support/probes';

const policy = {
  'portal-gateway': { rpcs: '*' as const },
  jobcenter: { rpcs: ['VerifyDocument'] },
};

async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    if (isServiceError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('gRPC server (plaintext development mode)', () => {
  let server: GrpcServer;
  let address: string;
  let observed: Observed;
  const { logger, lines } = memoryLogger();
  const client = () =>
    createClient(document.DocumentServiceClient, address, {
      security: { insecure: true, clientId: 'portal-gateway' },
      logger,
    });

  beforeAll(async () => {
    observed = newObserved();
    server = createGrpcServer({ security: { insecure: true }, authorization: policy, logger }).addService(
      document.DocumentServiceService,
      documentHandlers(observed),
    );
    const port = await server.start(0);
    expect(port).toBeGreaterThan(0);
    address = `127.0.0.1:${port}`;
  });

  afterAll(() => server.stop({ graceMs: 1_000 }));

  it('warns loudly that it runs without TLS', () => {
    expect(lines().some((l) => l.level === 'warn' && String(l.msg).includes('WITHOUT TLS'))).toBe(true);
  });

  it('answers the standard health check with SERVING, overall and per service', async () => {
    const insecure = credentials.createInsecure();
    expect(await healthCheck(address, insecure)).toBe('SERVING');
    expect(await healthCheck(address, insecure, 'buergerservice.document.v1.DocumentService')).toBe('SERVING');
    expect(
      await healthCheck(address, insecure, 'buergerservice.vehicle.v1.VehicleService').catch((e: unknown) =>
        isServiceError(e) ? e.code : e,
      ),
    ).toBe(status.NOT_FOUND);
  });

  it('reports NOT_SERVING while the service says it cannot serve, e.g. without its database', async () => {
    const insecure = credentials.createInsecure();
    server.setServing(false);
    expect(await healthCheck(address, insecure)).toBe('NOT_SERVING');
    expect(await healthCheck(address, insecure, 'buergerservice.document.v1.DocumentService')).toBe('NOT_SERVING');
    server.setServing(true);
    expect(await healthCheck(address, insecure)).toBe('SERVING');
  });

  it('answers server reflection: the registered service and health are listed, their descriptors served', async () => {
    const insecure = credentials.createInsecure();
    const listed = await reflect(address, insecure, { listServices: '*' });
    expect(listed.services).toEqual(
      expect.arrayContaining(['buergerservice.document.v1.DocumentService', 'grpc.health.v1.Health']),
    );
    expect(listed.services).not.toContain('buergerservice.registration.v1.RegistrationService');

    const file = await reflect(address, insecure, {
      fileContainingSymbol: 'buergerservice.document.v1.DocumentService',
    });
    // The original files with their imports, as grpcurl needs them to resolve types.
    expect(file.files).toEqual(
      expect.arrayContaining([
        {
          name: 'buergerservice/document/v1/document.proto',
          dependencies: ['google/protobuf/timestamp.proto'],
        },
        { name: 'google/protobuf/timestamp.proto', dependencies: [] },
      ]),
    );
    const health = await reflect(address, insecure, { fileContainingSymbol: 'grpc.health.v1.Health' });
    expect(health.files.map((f) => f.name)).toEqual(['grpc/health/v1/health.proto']);
  });

  it('serves a valid request and sees the client identity from x-client-id', async () => {
    const c = client();
    const answer = await call(c, 'getDocument', { documentId: 'd-1' });
    expect(answer.document?.documentId).toBe('d-1');
    expect((await call(c, 'getSigningKey', {})).keyId).toBe('portal-gateway');
    c.close();
  });

  it('answers a bad request with INVALID_ARGUMENT and the field violations in the trailer', async () => {
    const c = client();
    const error = await failure(call(c, 'getDocument', { documentId: 'x' }));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toBe('invalid request: document_id: must look like d-<number>');
    expect(readFieldViolations(error)).toEqual([{ field: 'document_id', description: 'must look like d-<number>' }]);
    expect(error.metadata.get('grpc-status-details-bin')).toHaveLength(1);
    c.close();
  });

  it('answers bytes that do not decode as the request with INVALID_ARGUMENT, not INTERNAL', async () => {
    const raw = new Client(address, credentials.createInsecure());
    const metadata = new Metadata();
    metadata.set('x-client-id', 'portal-gateway');
    const error = await new Promise<ServiceError>((resolve, reject) => {
      raw.makeUnaryRequest(
        '/buergerservice.document.v1.DocumentService/GetDocument',
        (bytes: Buffer) => bytes,
        (bytes: Buffer) => bytes,
        // Field 1 (string) with a length prefix that runs past the end of the message.
        Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]),
        metadata,
        (err) => (err ? resolve(err) : reject(new Error('expected the call to fail'))),
      );
    });
    raw.close();
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(readFieldViolations(error)).toEqual([
      { field: 'request', description: 'is not a valid protobuf encoding of the request message' },
    ]);
  });

  it('answers an unexpected error with INTERNAL and a generic message, logging the cause', async () => {
    const c = client();
    const error = await failure(call(c, 'getDocument', { documentId: 'd-500' }));
    expect(error.code).toBe(status.INTERNAL);
    expect(error.details).toBe(INTERNAL_MESSAGE);
    expect(JSON.stringify(error)).not.toContain('db-internal');
    const logged = lines().find((l) => l.msg === 'rpc failed with an unexpected error');
    expect(JSON.stringify(logged)).toContain('db-internal');
    c.close();
  });

  it('honours the deadline: the caller gets DEADLINE_EXCEEDED and the handler is aborted', async () => {
    const c = client();
    const before = Date.now();
    const error = await failure(call(c, 'getDocument', { documentId: 'd-408' }, { deadlineMs: 300 }));
    expect(error.code).toBe(status.DEADLINE_EXCEEDED);
    expect(observed.slowCallDeadline?.getTime()).toBeGreaterThan(before);
    expect(observed.slowCallDeadline?.getTime()).toBeLessThanOrEqual(Date.now() + 50);
    for (let i = 0; i < 50 && !observed.slowCallAborted; i++) await new Promise((r) => setTimeout(r, 20));
    expect(observed.slowCallAborted).toBe(true);
    c.close();
  });

  it('refuses an RPC the client is not allowed, and an unknown or anonymous client', async () => {
    const jobcenter = createClient(document.DocumentServiceClient, address, {
      security: { insecure: true, clientId: 'jobcenter' },
      logger,
    });
    const before = observed.calls;
    expect((await failure(call(jobcenter, 'getDocument', { documentId: 'd-1' }))).code).toBe(status.PERMISSION_DENIED);
    expect((await call(jobcenter, 'verifyDocument', { verificationCode: 'v' })).keyId).toBe('v');
    jobcenter.close();

    const stranger = createClient(document.DocumentServiceClient, address, {
      security: { insecure: true, clientId: 'tax-office' },
      logger,
    });
    expect((await failure(call(stranger, 'getDocument', { documentId: 'd-1' }))).code).toBe(status.PERMISSION_DENIED);
    stranger.close();

    const anonymous = new document.DocumentServiceClient(address, credentials.createInsecure());
    const error = await new Promise<ServiceError | null>((resolve) =>
      anonymous.getDocument({ documentId: 'd-1' }, new Metadata(), { deadline: Date.now() + 5_000 }, (e) => resolve(e)),
    );
    expect(error?.code).toBe(status.UNAUTHENTICATED);
    anonymous.close();
    expect(observed.calls).toBe(before + 1);
  });
});

describe('graceful shutdown', () => {
  it('answers NOT_SERVING while draining, lets in-flight calls finish, then refuses connections', async () => {
    const { logger } = memoryLogger();
    const observed = newObserved();
    const server = createGrpcServer({ security: { insecure: true }, authorization: policy, logger }).addService(
      document.DocumentServiceService,
      documentHandlers(observed),
    );
    const address = `127.0.0.1:${await server.start(0)}`;
    const insecure = credentials.createInsecure();
    expect(await healthCheck(address, insecure)).toBe('SERVING');

    const c = createClient(document.DocumentServiceClient, address, {
      security: { insecure: true, clientId: 'portal-gateway' },
      logger,
    });
    const inFlight = call(c, 'getDocument', { documentId: 'd-201' });
    for (let i = 0; i < 100 && observed.calls === 0; i++) await new Promise((r) => setTimeout(r, 10));

    const stopped = server.stop({ drainMs: 500, graceMs: 5_000 });
    expect(await healthCheck(address, insecure)).toBe('NOT_SERVING');
    expect(await healthCheck(address, insecure, 'buergerservice.document.v1.DocumentService')).toBe('NOT_SERVING');
    expect((await inFlight).document?.documentId).toBe('d-201');
    c.close();
    await stopped;

    const error = await healthCheck(address, insecure).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isServiceError(error) && error.code).toBe(status.UNAVAILABLE);
  });

  it('cancels calls still running after the grace period', async () => {
    const { logger } = memoryLogger();
    const observed = newObserved();
    const server = createGrpcServer({ security: { insecure: true }, authorization: policy, logger }).addService(
      document.DocumentServiceService,
      documentHandlers(observed),
    );
    const address = `127.0.0.1:${await server.start(0)}`;
    const c = createClient(document.DocumentServiceClient, address, {
      security: { insecure: true, clientId: 'portal-gateway' },
      logger,
    });
    const slow = failure(call(c, 'getDocument', { documentId: 'd-408' }, { deadlineMs: 30_000 }));
    for (let i = 0; i < 100 && observed.slowCallDeadline === undefined; i++)
      await new Promise((r) => setTimeout(r, 10));

    await server.stop({ graceMs: 200 });
    const error = await slow;
    expect([status.CANCELLED, status.UNAVAILABLE]).toContain(error.code);
    expect(observed.slowCallAborted).toBe(true);
    c.close();
  });
});
