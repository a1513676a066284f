import fs from 'node:fs';
import { registration } from '@buergerservice/contracts';
import { generateTestPki, type TestPki } from '@buergerservice/testing';
import * as grpc from '@grpc/grpc-js';
import type { ServiceName } from '../../src/platform.js';
import { unary } from './grpc-client.js';
import { type RunningPlatform, startPlatform } from './harness.js';

/**
 * The authorities with mutual TLS, as in production: a plaintext client and
 * a client whose certificate comes from a foreign CA are refused at the
 * handshake; a client of the platform's CA gets only its RPCs and fields.
 */

const IDENTITIES = ['registration', 'vehicle', 'appointment', 'document', 'portal-gateway', 'jobcenter', 'tax-office'];
const ACCESS = { purpose: 'Zuständigkeitsprüfung (drill)', fileReference: 'DRILL-1', actingUserId: 'drill' };

describe('mTLS and per-client authorization', () => {
  let pki: TestPki;
  let foreign: TestPki;
  let running: RunningPlatform;
  let address: string;

  const client = (from: TestPki, name: string) => {
    const identity = from.identity(name);
    return new grpc.Client(
      address,
      grpc.credentials.createSsl(
        // The client trusts the platform's CA either way: only its own certificate differs.
        fs.readFileSync(pki.caFile),
        fs.readFileSync(identity.keyFile),
        fs.readFileSync(identity.certFile),
      ),
    );
  };

  beforeAll(async () => {
    pki = generateTestPki(IDENTITIES);
    foreign = generateTestPki(['portal-gateway', 'jobcenter'], { caName: 'foreign-ca' });
    const tls = (name: ServiceName) => ({
      GRPC_INSECURE: 'false',
      GRPC_TLS_CA: pki.caFile,
      GRPC_TLS_CERT: pki.identity(name).certFile,
      GRPC_TLS_KEY: pki.identity(name).keyFile,
    });
    running = await startPlatform({
      persons: 20,
      vehicles: 10,
      only: ['registration'],
      extraEnv: { registration: tls('registration') },
    });
    address = `127.0.0.1:${running.platform.ports.service.registration}`;
  }, 300_000);

  afterAll(async () => {
    await running?.stop();
  }, 60_000);

  const getResidence = registration.RegistrationServiceService.getResidence;
  const request = { personId: 'P0000001', asOfDate: '', access: ACCESS };

  it('refuses a plaintext client, even one naming itself in x-client-id', async () => {
    const plain = new grpc.Client(address, grpc.credentials.createInsecure());
    const result = await unary(plain, getResidence, request, 'jobcenter');
    plain.close();
    expect(result.ok ? 'answered' : grpc.status[result.error.code]).toBe('UNAVAILABLE');
  });

  it('refuses a client whose certificate comes from a foreign CA', async () => {
    const impostor = client(foreign, 'jobcenter');
    const result = await unary(impostor, getResidence, request);
    impostor.close();
    expect(result.ok ? 'answered' : grpc.status[result.error.code]).toBe('UNAVAILABLE');
  });

  it('answers a client of the platform CA within its fields only', async () => {
    const jobcenter = client(pki, 'jobcenter');
    const result = await unary(jobcenter, getResidence, request);
    jobcenter.close();
    if (!result.ok) throw new Error(`GetResidence failed: ${result.error.message}`);
    expect(result.value.mainResidence?.address?.street).toBeTruthy();
  });

  it('gives the vehicle office the holder address and nothing else of the residence', async () => {
    const vehicleOffice = client(pki, 'vehicle');
    const result = await unary(vehicleOffice, getResidence, request);
    vehicleOffice.close();
    if (!result.ok) throw new Error(`GetResidence failed: ${result.error.message}`);
    const json = registration.GetResidenceResponse.toJSON(result.value) as { mainResidence?: Record<string, unknown> };
    expect(Object.keys(json)).toEqual(['mainResidence']);
    expect(Object.keys(json.mainResidence ?? {})).toEqual(['address']);
  });

  it('refuses an RPC the client is not allowed (PERMISSION_DENIED)', async () => {
    const jobcenter = client(pki, 'jobcenter');
    const result = await unary(jobcenter, registration.RegistrationServiceService.getPerson, {
      personId: 'P0000001',
      access: ACCESS,
    });
    jobcenter.close();
    expect(result.ok ? 'answered' : grpc.status[result.error.code]).toBe('PERMISSION_DENIED');
  });

  it('gives an unknown identity of the platform CA nothing', async () => {
    const taxOffice = client(pki, 'tax-office');
    const result = await unary(taxOffice, getResidence, request);
    taxOffice.close();
    expect(result.ok ? 'answered' : grpc.status[result.error.code]).toBe('PERMISSION_DENIED');
  });

  it('strips the fields the portal may not see from a person record (no birth date, nationality, religion)', async () => {
    const gateway = client(pki, 'portal-gateway');
    const result = await unary(gateway, registration.RegistrationServiceService.getPerson, {
      personId: 'P0000001',
      access: ACCESS,
    });
    gateway.close();
    if (!result.ok) throw new Error(`GetPerson failed: ${result.error.message}`);
    const person = result.value.person;
    expect(person?.personId).toBe('P0000001');
    expect(person?.name).toBeDefined();
    expect(JSON.stringify(registration.Person.toJSON(person ?? registration.Person.fromPartial({})))).not.toMatch(
      /dateOfBirth|nationalit|religio|household|minorInCare/i,
    );
  });
});
