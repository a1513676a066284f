import path from 'node:path';
import { randomInt } from 'node:crypto';
import { document, RegistrationEvents } from '@buergerservice/contracts';
import { EventBus } from '@buergerservice/event-bus';
import { call, createClient } from '@buergerservice/service-kit';
import { databaseUrl, kafkaBrokers, ServiceProcess, uniqueName, waitUntil } from '@buergerservice/testing';
import { addressChanged, publish } from '../support/events.js';

/**
 * The built service as a real process, as deployed: `node --require
 * @buergerservice/telemetry/register dist/main.js`. Needs `npm run build`.
 */

const ENTRY = path.resolve(__dirname, '../../dist/main.js');
const run = randomInt(1_000_000, 9_999_999);

function baseEnv(database: string): Record<string, string> {
  return {
    MONGO_URL: databaseUrl(database),
    KAFKA_BROKERS: kafkaBrokers().join(','),
    GRPC_INSECURE: 'true',
    PORT: '0',
    OTEL_SERVICE_NAME: 'document',
    LOG_LEVEL: 'info',
  };
}

function service(env: Record<string, string>, readyTimeoutMs = 60_000): ServiceProcess {
  return new ServiceProcess({
    name: 'document',
    entry: ENTRY,
    env,
    nodeArgs: ['--require', '@buergerservice/telemetry/register'],
    readyTimeoutMs,
  });
}

function portOf(process: ServiceProcess): number {
  const line = process.output.find((l) => l.includes('"msg":"ready"'));
  const port = line ? (JSON.parse(line) as { port?: unknown }).port : undefined;
  if (typeof port !== 'number') throw new Error(`no port in the ready line:\n${process.tail()}`);
  return port;
}

describe('the service process', () => {
  it('logs ready, warns loudly about a development key, and stops gracefully on SIGTERM', async () => {
    const proc = await service({ ...baseEnv(uniqueName('document-proc')), SIGNING_DEV_KEY: 'true' }).start();
    try {
      const warning = proc.output.find((l) => l.includes('DEVELOPMENT SIGNING KEY'));
      expect(warning).toBeDefined();
      expect(JSON.parse(warning ?? '{}')).toMatchObject({ level: 'warn' });
      expect(portOf(proc)).toBeGreaterThan(0);
    } finally {
      expect(await proc.stop('SIGTERM')).toBe(0);
    }
    expect(proc.output.some((l) => l.includes('"msg":"stopping"'))).toBe(true);
  });

  it('refuses to start without a signing key', async () => {
    const proc = service(baseEnv(uniqueName('document-proc')), 15_000);
    const failure = await proc.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    // ServiceProcess reports an early exit only as the cause of its ready time-out (its
    // waitUntil swallows the exit error thrown by the check; reported to the testing package's owner).
    expect(failure).toBeInstanceOf(Error);
    expect(String((failure as Error).cause ?? failure)).toMatch(/exited with code 1/);
    expect(proc.output.join('\n')).toMatch(/"level":"fatal"[\s\S]*a signing key is required/);
  });

  it('survives a crash: documents still verify with the configured key, and a redelivery adds nothing', async () => {
    const env = { ...baseEnv(uniqueName('document-proc')), SIGNING_KEY_SEED: Buffer.alloc(32, 3).toString('base64') };
    const proc = await service(env).start();
    const producer = new EventBus({
      brokers: kafkaBrokers(),
      clientId: 'test-producer',
      source: '/buergerservice/test',
    });
    const applicant = `P${run}9`;
    const moveId = `move-${run}-process`;
    const payload = addressChanged({
      moveId,
      applicant,
      persons: [{ personId: applicant, familyName: 'Nguyen', givenNames: 'Linh' }],
    });
    const client = () =>
      createClient(document.DocumentServiceClient, `127.0.0.1:${portOf(proc)}`, {
        security: { insecure: true, clientId: 'portal-gateway' },
      });
    try {
      const eventId = await publish(producer, RegistrationEvents.AddressChanged, payload, {
        subject: applicant,
        correlationId: `bundle-${moveId}`,
      });
      let gateway = client();
      const [issued] = await waitUntil(
        async () => {
          const { documents } = await call(gateway, 'listDocuments', { moveId });
          return documents.length > 0 ? documents : undefined;
        },
        { timeoutMs: 60_000, message: 'the confirmation' },
      );
      gateway.close();

      await proc.crashAndRestart();
      gateway = client();
      const answer = await call(gateway, 'verifyDocument', { verificationCode: issued?.verificationCode ?? '' });
      expect(answer.result).toBe(document.VerificationResult.VERIFICATION_RESULT_VALID);

      await publish(producer, RegistrationEvents.AddressChanged, payload, {
        subject: applicant,
        correlationId: `bundle-${moveId}`,
        id: eventId,
      });
      // A marker behind the redelivery on the same partition.
      const marker = `move-${run}-process-marker`;
      await publish(
        producer,
        RegistrationEvents.AddressChanged,
        addressChanged({
          moveId: marker,
          applicant,
          persons: [{ personId: applicant, familyName: 'Nguyen', givenNames: 'Linh' }],
        }),
        { subject: applicant, correlationId: `bundle-${marker}` },
      );
      await waitUntil(async () => (await call(gateway, 'listDocuments', { moveId: marker })).documents.length > 0, {
        timeoutMs: 60_000,
        message: 'the marker document',
      });
      expect((await call(gateway, 'listDocuments', { moveId })).documents).toHaveLength(1);
      gateway.close();
    } finally {
      await producer.disconnect();
      await proc.stop('SIGTERM');
    }
  });
});
