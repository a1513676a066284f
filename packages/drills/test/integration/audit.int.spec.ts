import { randomUUID } from 'node:crypto';
import { berlinDate } from '@buergerservice/calendar';
import { registration } from '@buergerservice/contracts';
import { DEMO_CITIZENS, LEIPZIG, LEIPZIG_STREETS } from '@buergerservice/demo-data';
import * as grpc from '@grpc/grpc-js';
import { type UnaryMethod, unary } from './grpc-client.js';
import { type RunningPlatform, startPlatform } from './harness.js';

/**
 * BMG §40: every transmission of registration data is logged. The RPCs are
 * enumerated from the generated RegistrationService definition; each one
 * that hands out registration data is called once as an admitted client,
 * and the supervisor's view of the transmission log must then hold an entry
 * for it naming the recipient. An RPC added to the contract without a probe
 * here fails the test, so nobody can add one silently.
 */

const ACCESS = { purpose: 'Prüfung der Meldedaten (drill)', fileReference: 'DRILL-40', actingUserId: 'drill-user' };
/** The transmission log itself: reading it is supervision, not a transmission of registration data. */
const NOT_A_TRANSMISSION = new Set(['listAuditEntries']);

type Probe = (ctx: {
  client: grpc.Client;
  moveId: () => string;
}) => Promise<{ recipient: string; ok: boolean; detail: string }>;

const anna = DEMO_CITIZENS[0];
const street = LEIPZIG_STREETS.find((s) => s.name !== anna?.address.street) ?? LEIPZIG_STREETS[0];

async function call<Req, Res>(client: grpc.Client, method: UnaryMethod<Req, Res>, request: Req, recipient: string) {
  const result = await unary(client, method, request, recipient);
  return {
    result,
    recipient,
    ok: result.ok,
    detail: result.ok ? 'OK' : `${grpc.status[result.error.code]}: ${result.error.details}`,
  };
}

describe('BMG §40 transmission log of every registration-data RPC', () => {
  let running: RunningPlatform;
  let client: grpc.Client;
  let moveId = '';
  const svc = registration.RegistrationServiceService;

  const probes: Record<string, Probe> = {
    submitChangeOfAddress: async ({ client: c }) => {
      const { result, ...rest } = await call(
        c,
        svc.submitChangeOfAddress,
        registration.SubmitChangeOfAddressRequest.fromPartial({
          idempotencyKey: randomUUID(),
          correlationId: randomUUID(),
          kind: registration.MoveKind.MOVE_KIND_WITHIN_CITY,
          personId: anna?.personId ?? 'P0000001',
          newAddress: {
            street: street?.name ?? '',
            houseNumber: String(street?.houseNumbers.from ?? 1),
            postalCode: street?.postalCode ?? '',
            municipality: LEIPZIG,
          },
          moveInDate: berlinDate(new Date()),
          residenceType: registration.ResidenceType.RESIDENCE_TYPE_MAIN,
          landlordConfirmationReference: 'WGB-DRILL40',
        }),
        'portal-gateway',
      );
      if (result.ok) moveId = result.value.move?.moveId ?? '';
      return rest;
    },
    getMove: ({ client: c, moveId: id }) => call(c, svc.getMove, { moveId: id(), access: ACCESS }, 'portal-gateway'),
    listMoves: ({ client: c }) =>
      call(c, svc.listMoves, { personId: 'P0000001', pageSize: 10, pageToken: '', access: ACCESS }, 'portal-gateway'),
    getPerson: ({ client: c }) => call(c, svc.getPerson, { personId: 'P0000001', access: ACCESS }, 'portal-gateway'),
    getResidence: ({ client: c }) =>
      call(c, svc.getResidence, { personId: 'P0000001', asOfDate: '', access: ACCESS }, 'jobcenter'),
    revokeChangeOfAddress: ({ client: c, moveId: id }) =>
      call(
        c,
        svc.revokeChangeOfAddress,
        { moveId: id(), reason: 'drill: revoked again', personId: 'P0000001' },
        'portal-gateway',
      ),
  };

  beforeAll(async () => {
    running = await startPlatform({ persons: 20, vehicles: 10, only: ['registration'] });
    client = new grpc.Client(
      `127.0.0.1:${running.platform.ports.service.registration}`,
      grpc.credentials.createInsecure(),
    );
  }, 300_000);

  afterAll(async () => {
    client?.close();
    await running?.stop();
  }, 60_000);

  it('has a probe for every RPC of the contract that is a transmission', () => {
    const rpcs = Object.keys(svc).filter((name) => !NOT_A_TRANSMISSION.has(name));
    expect(rpcs.filter((name) => !(name in probes))).toEqual([]);
  });

  it('logs each transmission with its recipient and operation', async () => {
    const outcomes: Record<string, string> = {};
    const started = new Date();
    // Submit first: getMove and revoke need its move.
    const order = ['submitChangeOfAddress', ...Object.keys(probes).filter((n) => n !== 'submitChangeOfAddress')];
    const recipients: Record<string, string> = {};
    for (const name of order) {
      const probe = probes[name];
      if (!probe) continue;
      const outcome = await probe({ client, moveId: () => moveId });
      outcomes[name] = outcome.detail;
      recipients[name] = outcome.recipient;
    }
    // Every probe must have succeeded, else it proves nothing about the log.
    expect(outcomes).toEqual(Object.fromEntries(order.map((n) => [n, 'OK'])));

    const entries: registration.AuditEntry[] = [];
    for (const recipient of new Set(Object.values(recipients))) {
      const listed = await unary(
        client,
        svc.listAuditEntries,
        registration.ListAuditEntriesRequest.fromPartial({ recipient, from: started, pageSize: 100 }),
        'supervisor',
      );
      if (!listed.ok) throw new Error(`ListAuditEntries failed: ${listed.error.message}`);
      entries.push(...listed.value.entries);
    }
    const missing = order.filter(
      (name) =>
        !entries.some(
          (e) => e.recipient === recipients[name] && e.operation.toLowerCase().includes(name.toLowerCase()),
        ),
    );
    expect({ missing, operations: [...new Set(entries.map((e) => `${e.recipient}:${e.operation}`))] }).toMatchObject({
      missing: [],
    });
  }, 120_000);
});
