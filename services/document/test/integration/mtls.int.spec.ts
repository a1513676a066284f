import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { document } from '@buergerservice/contracts';
import { EventBus } from '@buergerservice/event-bus';
import { call, createClient } from '@buergerservice/service-kit';
import { createLogger } from '@buergerservice/telemetry';
import { databaseUrl, generateTestPki, kafkaBrokers, type TestPki, uniqueName } from '@buergerservice/testing';
import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import mongoose, { type Connection } from 'mongoose';
import { loadServiceConfig } from '../../src/config.js';
import { KeyRing, SigningKey } from '../../src/domain/signing.js';
import { buildService, type DocumentService } from '../../src/server.js';

/**
 * Per-client authorization as deployed: mutual TLS, the client identity from
 * the certificate's CN, and a policy file (CLIENT_POLICY) replacing the
 * built-in one.
 */

let pki: TestPki;
let connection: Connection;
let bus: EventBus;
let service: DocumentService;
let address = '';

beforeAll(async () => {
  pki = generateTestPki(['document', 'portal-gateway', 'jobcenter', 'tax-office']);
  const policyFile = path.join(pki.dir, 'policy.json');
  writeFileSync(
    policyFile,
    JSON.stringify({
      'portal-gateway': { rpcs: '*' },
      jobcenter: { rpcs: ['VerifyDocument', 'GetSigningKey'] },
      // Only the key: this one checks signatures itself.
      'tax-office': { rpcs: ['GetSigningKey'] },
    }),
  );
  const server = pki.identity('document');
  const url = databaseUrl(uniqueName('document-mtls'));
  const config = loadServiceConfig({
    MONGO_URL: url,
    KAFKA_BROKERS: kafkaBrokers().join(','),
    GRPC_TLS_CA: pki.caFile,
    GRPC_TLS_CERT: server.certFile,
    GRPC_TLS_KEY: server.keyFile,
    CLIENT_POLICY: policyFile,
    SIGNING_KEY_SEED: Buffer.alloc(32, 21).toString('base64'),
    PORT: '0',
  });
  connection = await mongoose.createConnection(url).asPromise();
  bus = new EventBus({ brokers: config.KAFKA_BROKERS, clientId: 'document', source: '/buergerservice/document' });
  service = buildService({
    config,
    connection,
    bus,
    keys: new KeyRing(SigningKey.fromSeed(Buffer.alloc(32, 21))),
    logger: createLogger('document-mtls-test'),
  });
  address = `127.0.0.1:${await service.start()}`;
});

afterAll(async () => {
  await service?.stop();
  await bus?.disconnect();
  await connection?.close();
});

function clientAs(name: string): document.DocumentServiceClient {
  const identity = pki.identity(name);
  return createClient(document.DocumentServiceClient, address, {
    security: { tls: { caFile: pki.caFile, certFile: identity.certFile, keyFile: identity.keyFile } },
  });
}

async function codeOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return status.OK;
  } catch (error) {
    return (error as ServiceError).code;
  }
}

it('authorizes by the certificate’s identity and the configured policy', async () => {
  const gateway = clientAs('portal-gateway');
  const jobcenter = clientAs('jobcenter');
  const taxOffice = clientAs('tax-office');
  try {
    expect((await call(gateway, 'listDocuments', { personId: 'P0000001' })).documents).toEqual([]);
    const key = await call(jobcenter, 'getSigningKey', {});
    expect(key.keyId).toBe(SigningKey.fromSeed(Buffer.alloc(32, 21)).keyId);
    expect((await call(jobcenter, 'verifyDocument', { verificationCode: 'AAAA-BBBB-CCCC-DDDD' })).result).toBe(
      document.VerificationResult.VERIFICATION_RESULT_UNKNOWN,
    );
    expect(await codeOf(call(jobcenter, 'listDocuments', { personId: 'P0000001' }))).toBe(status.PERMISSION_DENIED);
    // A forged x-client-id header counts for nothing under TLS.
    const forged = new Metadata();
    forged.set('x-client-id', 'portal-gateway');
    expect(await codeOf(call(jobcenter, 'getDocument', { documentId: 'x' }, { metadata: forged }))).toBe(
      status.PERMISSION_DENIED,
    );
    expect(await codeOf(call(taxOffice, 'getSigningKey', {}))).toBe(status.OK);
    expect(await codeOf(call(taxOffice, 'verifyDocument', { verificationCode: 'AAAA-BBBB-CCCC-DDDD' }))).toBe(
      status.PERMISSION_DENIED,
    );
  } finally {
    gateway.close();
    jobcenter.close();
    taxOffice.close();
  }
});
