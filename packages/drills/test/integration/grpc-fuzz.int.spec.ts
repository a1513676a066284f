import { appointment, document, registration, vehicle } from '@buergerservice/contracts';
import { readFieldViolations } from '@buergerservice/service-kit';
import * as grpc from '@grpc/grpc-js';
import fc from 'fast-check';
import { type AuthorityName, SERVICES } from '../../src/platform.js';
import { type RunningPlatform, startPlatform } from './harness.js';

/**
 * Every method of every authority, enumerated from the generated service
 * definitions (a new RPC is fuzzed without touching this test), is fed
 * random bytes and random well-formed protobuf messages. Bad input must
 * never be answered INTERNAL or UNKNOWN, and INVALID_ARGUMENT must carry
 * its field violations.
 */

interface MethodDefinition {
  readonly path: string;
  readonly requestDeserialize: (value: Buffer) => unknown;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
}

const DEFINITIONS: Record<AuthorityName, Record<string, MethodDefinition>> = {
  registration: registration.RegistrationServiceService,
  vehicle: vehicle.VehicleServiceService,
  appointment: appointment.AppointmentServiceService,
  document: document.DocumentServiceService,
};

/** Client identities to try, so each method is reached past authorization where some client may call it. */
const CLIENT_IDS = [
  'portal-gateway',
  'vehicle-office',
  'supervisor',
  'jobcenter',
  'tax-office',
  'hotline-115',
  'dealer',
  'registration',
  'vehicle',
  'appointment',
  'document',
];

function varint(value: number): number[] {
  const bytes: number[] = [];
  let v = value >>> 0;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return bytes;
}

/** A syntactically valid protobuf message of random fields: it decodes, so it reaches validation. */
const wireMessage = fc
  .array(
    fc.oneof(
      fc
        .record({ field: fc.integer({ min: 1, max: 12 }), value: fc.nat() })
        .map(({ field, value }) => [...varint(field << 3), ...varint(value)]),
      fc
        .record({
          field: fc.integer({ min: 1, max: 12 }),
          text: fc.oneof(
            fc.string({ maxLength: 40 }),
            fc.constantFrom('', ' ', 'P0000001', 'L-AM 2026', '2026-02-30', '../../etc', '\u0000', 'x'.repeat(5_000)),
          ),
        })
        .map(({ field, text }) => {
          const bytes = [...Buffer.from(text, 'utf8')];
          return [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes];
        }),
    ),
    { maxLength: 8 },
  )
  .map((fields) => Buffer.from(fields.flat()));

const anyBytes = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes));

interface CallResult {
  readonly code: grpc.status;
  readonly details: string;
  readonly violations: number;
}

function call(client: grpc.Client, path: string, request: Buffer, clientId: string): Promise<CallResult> {
  return new Promise((resolve) => {
    const metadata = new grpc.Metadata();
    metadata.set('x-client-id', clientId);
    client.makeUnaryRequest(
      path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      request,
      metadata,
      { deadline: Date.now() + 10_000 },
      (error) => {
        if (!error) resolve({ code: grpc.status.OK, details: '', violations: 0 });
        else resolve({ code: error.code, details: error.details, violations: readFieldViolations(error).length });
      },
    );
  });
}

describe('gRPC fuzz of every method of every authority', () => {
  let running: RunningPlatform;
  const clients = new Map<AuthorityName, grpc.Client>();

  beforeAll(async () => {
    running = await startPlatform({
      persons: 30,
      vehicles: 15,
      only: ['registration', 'vehicle', 'appointment', 'document'],
    });
    for (const name of SERVICES) {
      if (name === 'portal-gateway') continue;
      clients.set(
        name,
        new grpc.Client(`127.0.0.1:${running.platform.ports.service[name]}`, grpc.credentials.createInsecure()),
      );
    }
  }, 300_000);

  afterAll(async () => {
    for (const client of clients.values()) client.close();
    await running?.stop();
  }, 60_000);

  const methods = Object.entries(DEFINITIONS).flatMap(([service, definition]) =>
    Object.values(definition)
      .filter((m) => !m.requestStream && !m.responseStream)
      .map((m) => ({ service: service as AuthorityName, path: m.path, decode: m.requestDeserialize })),
  );

  it('enumerates the methods from the generated definitions', () => {
    expect(methods.length).toBeGreaterThanOrEqual(12);
  });

  /** A client the method admits (PERMISSION_DENIED for every other one is authorization working, not coverage). */
  async function admittedClient(client: grpc.Client, path: string): Promise<string> {
    for (const id of CLIENT_IDS) {
      if ((await call(client, path, Buffer.alloc(0), id)).code !== grpc.status.PERMISSION_DENIED) return id;
    }
    return CLIENT_IDS[0] as string;
  }

  function decodes(decode: (value: Buffer) => unknown, request: Buffer): boolean {
    try {
      decode(request);
      return true;
    } catch {
      return false;
    }
  }

  it.each(methods)(
    '$path: a message that decodes is never answered INTERNAL/UNKNOWN; INVALID_ARGUMENT carries field violations',
    async ({ service, path, decode }) => {
      const client = clients.get(service);
      if (!client) throw new Error(`no client for ${service}`);
      const clientId = await admittedClient(client, path);
      const failures: string[] = [];
      let tried = 0;
      const check = async (request: Buffer) => {
        if (!decodes(decode, request)) return true;
        tried += 1;
        const result = await call(client, path, request, clientId);
        if (result.code === grpc.status.INTERNAL || result.code === grpc.status.UNKNOWN) {
          failures.push(`${grpc.status[result.code]} for ${request.toString('hex').slice(0, 80)}: ${result.details}`);
        } else if (result.code === grpc.status.INVALID_ARGUMENT && result.violations === 0) {
          failures.push(`INVALID_ARGUMENT without field violations: ${result.details}`);
        }
        return true;
      };
      await check(Buffer.alloc(0));
      await fc.assert(fc.asyncProperty(wireMessage, check), { numRuns: 60, seed: 20261121 });
      expect(tried).toBeGreaterThan(10);
      expect({ path, clientId, failures: [...new Set(failures)].slice(0, 5) }).toEqual({
        path,
        clientId,
        failures: [],
      });
    },
    180_000,
  );

  it.each(methods)(
    '$path: bytes that do not decode are INVALID_ARGUMENT, not INTERNAL',
    async ({ service, path, decode }) => {
      const client = clients.get(service);
      if (!client) throw new Error(`no client for ${service}`);
      const clientId = await admittedClient(client, path);
      const answers = new Map<string, number>();
      let tried = 0;
      await fc.assert(
        fc.asyncProperty(fc.oneof(anyBytes, wireMessage), async (request) => {
          if (decodes(decode, request)) return true;
          tried += 1;
          const result = await call(client, path, request, clientId);
          const key = `${grpc.status[result.code]}: ${result.details}`;
          answers.set(key, (answers.get(key) ?? 0) + 1);
          return true;
        }),
        { numRuns: 40, seed: 20261121 },
      );
      expect(tried).toBeGreaterThan(0);
      const wrong = [...answers.keys()].filter((k) => !k.startsWith('INVALID_ARGUMENT'));
      expect({ path, wrong }).toEqual({ path, wrong: [] });
    },
    180_000,
  );
});
