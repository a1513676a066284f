import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RegistrationEvents, registration, Topics } from '@buergerservice/contracts';
import { call, createClient } from '@buergerservice/service-kit';
import {
  databaseUrl,
  generateTestPki,
  kafkaBrokers,
  ServiceProcess,
  type TestPki,
  TopicRecorder,
  uniqueName,
} from '@buergerservice/testing';
import { credentials, Metadata, status } from '@grpc/grpc-js';
import { fixedClock } from '../../src/domain/clock.js';
import { access, annasMove } from './support/harness.js';
import { healthCheck, listServices } from './support/probes.js';

const root = path.resolve(__dirname, '../..');
const main = path.join(root, 'dist/main.js');
const seed = path.join(root, 'dist/seed.js');
const SERVICE = 'buergerservice.registration.v1.RegistrationService';

/**
 * The built service as in production: its own process with telemetry
 * preloaded, mutual TLS, a policy file, the seed command, graceful stop.
 */
describe('the registration service as a process', () => {
  let pki: TestPki;
  let process_: ServiceProcess;
  let address: string;
  let recorder: TopicRecorder;
  const mongoUrl = () => databaseUrl(database);
  const database = uniqueName('registration-process');

  const tls = (name: string) => {
    const id = pki.identity(name);
    return { caFile: pki.caFile, certFile: id.certFile, keyFile: id.keyFile };
  };
  const client = (name: string) =>
    createClient(registration.RegistrationServiceClient, address, { security: { tls: tls(name) } });
  const channel = (name: string) => {
    const files = tls(name);
    return credentials.createSsl(
      fs.readFileSync(files.caFile),
      fs.readFileSync(files.keyFile),
      fs.readFileSync(files.certFile),
    );
  };

  beforeAll(async () => {
    if (!fs.existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
    pki = generateTestPki(['registration', 'portal-gateway', 'vehicle', 'tax-office']);
    const policy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'policy-')), 'policy.json');
    fs.writeFileSync(
      policy,
      JSON.stringify({
        'portal-gateway': { rpcs: ['SubmitChangeOfAddress', 'RevokeChangeOfAddress'] },
        'tax-office': { rpcs: ['GetResidence'], fields: { GetResidence: ['main_residence.address.postal_code'] } },
      }),
    );
    const server = tls('registration');
    process_ = await new ServiceProcess({
      name: 'registration',
      entry: main,
      nodeArgs: ['--require', '@buergerservice/telemetry/register'],
      env: {
        OTEL_SERVICE_NAME: 'registration',
        MONGO_URL: mongoUrl(),
        KAFKA_BROKERS: kafkaBrokers().join(','),
        PORT: '0',
        GRPC_TLS_CA: server.caFile,
        GRPC_TLS_CERT: server.certFile,
        GRPC_TLS_KEY: server.keyFile,
        CLIENT_POLICY: policy,
        OUTBOX_POLL_INTERVAL_MS: '100',
      },
    }).start();
    const ready = process_.output.find((line) => line.includes('"msg":"ready"')) ?? '';
    address = `127.0.0.1:${(JSON.parse(ready) as { port: number }).port}`;
    // The service created its topic at start; record it from the beginning.
    recorder = await TopicRecorder.start(Topics.registration);
  });

  afterAll(async () => {
    await recorder?.stop();
    await process_?.stop('SIGKILL');
  });

  it('seeds the register from the command line, idempotently', () => {
    const run = () =>
      JSON.parse(
        execFileSync(process.execPath, [seed, '--persons', '500', '--vehicles', '300'], {
          env: { PATH: process.env.PATH ?? '', MONGO_URL: mongoUrl() },
          encoding: 'utf8',
        }),
      ) as { streets: number; persons: number };
    expect(run()).toMatchObject({ persons: 500, streets: expect.any(Number) });
    expect(run()).toMatchObject({ persons: 500 });
  });

  it('answers the standard health check and lists its service through reflection (over mTLS)', async () => {
    expect(await healthCheck(address, channel('vehicle'))).toBe('SERVING');
    expect(await healthCheck(address, channel('vehicle'), SERVICE)).toBe('SERVING');
    expect(await listServices(address, channel('vehicle'))).toEqual(
      expect.arrayContaining([SERVICE, 'grpc.health.v1.Health']),
    );
    // Without a client certificate there is no connection at all.
    await expect(healthCheck(address, credentials.createSsl(fs.readFileSync(pki.caFile)))).rejects.toMatchObject({
      code: status.UNAVAILABLE,
    });
  });

  it('takes the client identity from the certificate, applies the policy file, and publishes AddressChanged', async () => {
    const portal = client('portal-gateway');
    const request = annasMove(fixedClock(new Date()));
    const { move } = await call(portal, 'submitChangeOfAddress', request);
    const [message] = await recorder.waitFor((m) => m.headers.ce_correlationid === request.correlationId);
    expect(message?.headers.ce_type).toBe(RegistrationEvents.AddressChanged.typeName);
    expect(message?.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);

    // The tax office may read postal codes only (policy file), the vehicle authority nothing (not in the file).
    const tax = await call(
      client('tax-office'),
      'getResidence',
      registration.GetResidenceRequest.fromPartial({ personId: 'P0000004', access }),
    );
    expect(tax).toEqual(
      registration.GetResidenceResponse.fromPartial({ mainResidence: { address: { postalCode: '04229' } } }),
    );
    await expect(
      call(
        client('vehicle'),
        'getResidence',
        registration.GetResidenceRequest.fromPartial({ personId: 'P0000004', access }),
      ),
    ).rejects.toMatchObject({ code: status.PERMISSION_DENIED });
    // Under TLS a claimed x-client-id header counts for nothing.
    const metadata = new Metadata();
    metadata.set('x-client-id', 'portal-gateway');
    await expect(
      call(client('vehicle'), 'submitChangeOfAddress', annasMove(fixedClock(new Date())), { metadata }),
    ).rejects.toMatchObject({
      code: status.PERMISSION_DENIED,
    });

    await call(portal, 'revokeChangeOfAddress', { moveId: move?.moveId ?? '', personId: 'P0000001', reason: '' });
    await recorder.waitFor(
      (m) =>
        m.headers.ce_correlationid === request.correlationId &&
        m.headers.ce_type === RegistrationEvents.AddressChangeRevoked.typeName,
    );
  });

  it('stops gracefully on SIGTERM, and never logged personal data', async () => {
    const code = await process_.stop('SIGTERM');
    expect(code).toBe(0);
    expect(process_.output.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
    const log = process_.output.join('\n');
    for (const personal of ['Müller', 'Anna', 'Mozartstraße', 'Georg-Schumann', '1988-04-17', 'L-AM 2026']) {
      expect(log).not.toContain(personal);
    }
  });
});
