import { document, registration } from '@buergerservice/contracts';
import { credentials, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import {
  call,
  createClient,
  createGrpcServer,
  type GrpcServer,
  isServiceError,
  PreconditionError,
  type TlsFiles,
  type UnaryHandlers,
} from '../../src/index';
import { createTestPki, type TestPki } from '../support/certs';
import { documentHandlers, newObserved } from '../support/document-service';
import { memoryLogger } from '../support/memory-logger';
import { healthCheck } from '../support/probes';

const policy = {
  'portal-gateway': { rpcs: '*' as const },
  jobcenter: {
    rpcs: ['GetPerson', 'buergerservice.document.v1.DocumentService/GetSigningKey'],
    fields: { GetPerson: ['person.person_id', 'person.name.family_name', 'person.main_residence.address'] },
  },
};

const fullPerson = registration.GetPersonResponse.fromPartial({
  person: {
    personId: 'p-1',
    name: { familyName: 'Muster', givenNames: 'Erika' },
    dateOfBirth: '1980-02-01',
    religiousAffiliation: 'ev',
    nationalities: ['DE'],
    mainResidence: { address: { street: 'Markt', postalCode: '04109' }, validFrom: '2020-01-01' },
    householdId: 'h-1',
  },
});

function registrationHandlers(): UnaryHandlers<typeof registration.RegistrationServiceService> {
  const notHere = async (): Promise<never> => {
    throw new PreconditionError('not part of this test');
  };
  return {
    submitChangeOfAddress: notHere,
    revokeChangeOfAddress: notHere,
    getResidence: notHere,
    listMoves: notHere,
    getMove: notHere,
    listAuditEntries: notHere,
    async getPerson(_req, ctx) {
      return ctx.restrictFields(registration.GetPersonResponse, fullPerson);
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

describe('gRPC over mutual TLS', () => {
  let pki: TestPki;
  let server: GrpcServer;
  let address: string;
  const { logger } = memoryLogger();

  const documentClient = (tls: TlsFiles, serverNameOverride?: string) =>
    createClient(document.DocumentServiceClient, address, { security: { tls, serverNameOverride }, logger });

  beforeAll(async () => {
    pki = createTestPki();
    server = createGrpcServer({ security: { tls: pki.server }, authorization: policy, logger })
      .addService(document.DocumentServiceService, documentHandlers(newObserved()))
      .addService(registration.RegistrationServiceService, registrationHandlers());
    address = `127.0.0.1:${await server.start(0)}`;
  });

  afterAll(async () => {
    await server.stop({ graceMs: 1_000 });
    pki.remove();
  });

  it('accepts a client with a certificate from the CA; its subject CN is the identity', async () => {
    const client = documentClient(pki.client('portal-gateway'));
    expect((await call(client, 'getSigningKey', {})).keyId).toBe('portal-gateway');
    client.close();
  });

  it('ignores an x-client-id header under TLS: only the certificate counts', async () => {
    const client = documentClient(pki.client('jobcenter'), 'localhost');
    const metadata = new Metadata();
    metadata.set('x-client-id', 'portal-gateway');
    expect((await call(client, 'getSigningKey', {}, { metadata })).keyId).toBe('jobcenter');
    client.close();
  });

  it('answers health checks over mTLS', async () => {
    const tls = pki.client('portal-gateway');
    const { readFileSync } = await import('node:fs');
    const creds = credentials.createSsl(
      readFileSync(tls.caFile),
      readFileSync(tls.keyFile),
      readFileSync(tls.certFile),
    );
    expect(await healthCheck(address, creds, 'buergerservice.registration.v1.RegistrationService')).toBe('SERVING');
  });

  it('rejects a client without a certificate', async () => {
    const { readFileSync } = await import('node:fs');
    const noCert = credentials.createSsl(readFileSync(pki.server.caFile));
    const error = await healthCheck(address, noCert).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isServiceError(error) && error.code).toBe(status.UNAVAILABLE);
  });

  it('rejects a client whose certificate comes from another CA', async () => {
    const client = documentClient(pki.client('portal-gateway', { foreignCa: true }));
    const error = await failure(call(client, 'getSigningKey', {}));
    expect(error.code).toBe(status.UNAVAILABLE);
    client.close();
  });

  it('rejects a plaintext client', async () => {
    const client = createClient(document.DocumentServiceClient, address, {
      security: { insecure: true, clientId: 'portal-gateway' },
      logger,
    });
    const error = await failure(call(client, 'getSigningKey', {}, { deadlineMs: 2_000 }));
    expect([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]).toContain(error.code);
    client.close();
  });

  it('answers PERMISSION_DENIED for an RPC the client is not allowed', async () => {
    const client = documentClient(pki.client('jobcenter'));
    expect((await failure(call(client, 'getDocument', { documentId: 'd-1' }))).code).toBe(status.PERMISSION_DENIED);
    client.close();
    const registrationClient = createClient(registration.RegistrationServiceClient, address, {
      security: { tls: pki.client('jobcenter') },
      logger,
    });
    const error = await failure(call(registrationClient, 'getMove', { moveId: 'm-1' }));
    expect(error.code).toBe(status.PERMISSION_DENIED);
    registrationClient.close();
  });

  it('answers PERMISSION_DENIED for a certificate whose CN the policy does not know', async () => {
    const client = documentClient(pki.client('tax-office'));
    expect((await failure(call(client, 'getSigningKey', {}))).code).toBe(status.PERMISSION_DENIED);
    client.close();
  });

  it("minimises the response to the client's field allowlist", async () => {
    const jobcenter = createClient(registration.RegistrationServiceClient, address, {
      security: { tls: pki.client('jobcenter') },
      logger,
    });
    const minimised = await call(jobcenter, 'getPerson', { personId: 'p-1' });
    expect(minimised).toEqual(
      registration.GetPersonResponse.fromPartial({
        person: {
          personId: 'p-1',
          name: { familyName: 'Muster' },
          mainResidence: { address: { street: 'Markt', postalCode: '04109' } },
        },
      }),
    );
    jobcenter.close();

    const gateway = createClient(registration.RegistrationServiceClient, address, {
      security: { tls: pki.client('portal-gateway') },
      logger,
    });
    expect(await call(gateway, 'getPerson', { personId: 'p-1' })).toEqual(fullPerson);
    gateway.close();
  });
});

describe('identity from a subject alternative name', () => {
  it('uses the first URI SAN when configured', async () => {
    const pki = createTestPki();
    const { logger } = memoryLogger();
    const server = createGrpcServer({
      security: { tls: pki.server, identity: 'san-uri' },
      authorization: { 'spiffe://leipzig.test/vehicle': { rpcs: ['GetSigningKey'] } },
      logger,
    }).addService(document.DocumentServiceService, documentHandlers(newObserved()));
    const address = `127.0.0.1:${await server.start(0)}`;
    const client = createClient(document.DocumentServiceClient, address, {
      security: { tls: pki.client('vehicle') },
      logger,
    });
    expect((await call(client, 'getSigningKey', {})).keyId).toBe('spiffe://leipzig.test/vehicle');
    client.close();
    await server.stop({ graceMs: 1_000 });
    pki.remove();
  });
});
