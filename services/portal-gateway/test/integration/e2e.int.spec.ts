import { randomUUID } from 'node:crypto';
import {
  AppointmentEvents,
  appointment,
  DocumentEvents,
  document,
  RegistrationEvents,
  registration,
  Topics,
  VehicleEvents,
  vehicle,
} from '@buergerservice/contracts';
import { call, createClient } from '@buergerservice/service-kit';
import { OtlpReceiver, type ReceivedSpan, waitUntil } from '@buergerservice/testing';
import { type OwnInfra, type RunningPlatform, startOwnInfra, startPlatform } from './platform.js';
import { BrokerRecorder } from './recorder.js';
import { api } from './support.js';

/**
 * The whole platform: the five services as real processes on a Kafka broker
 * and a FerretDB of their own, seeded with the demo population, each
 * exporting its spans to this test's OTLP receiver. The citizen's side is
 * the gateway's HTTP API only; the authorities' state is checked through
 * their own gRPC APIs and the topics.
 */

interface Step {
  key: string;
  state: string;
  documentId?: string;
  appointment?: { appointmentId: string };
}
interface Bundle {
  bundleId: string;
  status: string;
  complete: boolean;
  moveId?: string;
  steps: Step[];
}

const ANNA = 'P0000001';
const JONAS = 'P0000002';
const MEHMET = 'P0000004';
const PLATE = 'L-AM 2026';

/** Yesterday in Europe/Berlin: a move-in day the register accepts without a late flag. */
function yesterday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date(Date.now() - 86_400_000));
}

function annaAndJonasWithTheCar() {
  return {
    move: {
      kind: 'within-city',
      moveInDate: yesterday(),
      residenceType: 'main',
      newAddress: { street: 'Kochstraße', houseNumber: '20', postalCode: '04275', municipality: 'Leipzig' },
      landlordConfirmationReference: 'WGB-2026-4711',
    },
    householdMemberIds: [JONAS],
    vehiclePlates: [PLATE],
    documents: ['registration-confirmation', 'vehicle-registration-record'],
    appointment: { wanted: true, autoBook: true },
  };
}

describe('the platform end to end', () => {
  let infra: OwnInfra;
  let receiver: OtlpReceiver;
  let platform: RunningPlatform;
  let recorder: BrokerRecorder;
  let anna: ReturnType<typeof api>;
  let mehmet: ReturnType<typeof api>;
  let clients: {
    registration: registration.RegistrationServiceClient;
    vehicle: vehicle.VehicleServiceClient;
    appointment: appointment.AppointmentServiceClient;
    document: document.DocumentServiceClient;
  };
  /** The household's bundle, shared by the tests below in order. */
  let bundle: Bundle;
  let idempotencyKey: string;

  beforeAll(async () => {
    receiver = new OtlpReceiver();
    const otlpEndpoint = await receiver.start();
    infra = await startOwnInfra();
    platform = await startPlatform({ infra, otlpEndpoint });
    recorder = await BrokerRecorder.start(infra.kafkaBrokers, Object.values(Topics));
    const token = async (personId: string) => {
      const response = await fetch(`${platform.gatewayUrl}/dev-issuer/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ personId }),
      });
      return ((await response.json()) as { access_token: string }).access_token;
    };
    anna = api(platform.gatewayUrl, await token(ANNA));
    mehmet = api(platform.gatewayUrl, await token(MEHMET));
    const security = { insecure: true as const, clientId: 'portal-gateway' };
    clients = {
      registration: createClient(registration.RegistrationServiceClient, `127.0.0.1:${platform.ports.registration}`, {
        security,
      }),
      vehicle: createClient(vehicle.VehicleServiceClient, `127.0.0.1:${platform.ports.vehicle}`, { security }),
      appointment: createClient(appointment.AppointmentServiceClient, `127.0.0.1:${platform.ports.appointment}`, {
        security,
      }),
      document: createClient(document.DocumentServiceClient, `127.0.0.1:${platform.ports.document}`, { security }),
    };
  }, 900_000);

  afterAll(async () => {
    for (const client of Object.values(clients ?? {})) client.close();
    await recorder?.stop();
    await platform?.stop();
    await infra?.stop();
    await receiver?.stop();
  }, 120_000);

  async function bundleWhen(
    client: ReturnType<typeof api>,
    bundleId: string,
    ready: (b: Bundle) => boolean,
    what: string,
  ) {
    let last = '';
    return waitUntil(
      async () => {
        const response = await client.get(`/api/bundles/${bundleId}`);
        last = await response.text();
        if (response.status !== 200) return undefined;
        const value = JSON.parse(last) as Bundle;
        return ready(value) ? value : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 500, message: what },
    ).catch((error: unknown) => {
      const tails = [...platform.processes.entries()].map(([name, p]) => `--- ${name}\n${p.tail(15)}`).join('\n');
      throw new Error(`${String(error)}\nlast answer: ${last}\n${tails}`);
    });
  }

  it('a household of two with one car and auto-booking completes at every authority', async () => {
    idempotencyKey = randomUUID();
    const response = await anna.post('/api/bundles', annaAndJonasWithTheCar(), idempotencyKey);
    expect(response.status).toBe(202);
    const accepted = (await response.json()) as Bundle;
    bundle = await bundleWhen(anna, accepted.bundleId, (b) => b.complete, 'the household bundle complete');
    expect(bundle.status).toBe('complete');
    expect(Object.fromEntries(bundle.steps.map((s) => [s.key, s.state]))).toEqual({
      registration: 'done',
      [`vehicle:${PLATE}`]: 'done',
      [`registration-confirmation:${ANNA}`]: 'done',
      [`registration-confirmation:${JONAS}`]: 'done',
      [`vehicle-registration-record:${PLATE}`]: 'done',
      'id-card-sticker-order': 'done',
      appointment: 'done',
    });
    const moveId = bundle.moveId ?? '';

    // The registration office recorded the move.
    const { move } = await call(clients.registration, 'getMove', {
      moveId,
      access: { purpose: 'Ende-zu-Ende-Test: Stand des Umzugs', fileReference: '', actingUserId: '' },
    });
    expect(move?.status).toBe(registration.MoveStatus.MOVE_STATUS_RECORDED);
    expect(move?.correlationId).toBe(bundle.bundleId);
    expect(move?.persons.map((p) => p.personId)).toEqual([ANNA, JONAS]);
    // The vehicle's holder address is the new one.
    const { vehicle: car } = await call(clients.vehicle, 'getVehicle', { plate: PLATE });
    expect(car?.holderAddress?.street).toBe('Kochstraße');
    expect(car?.holderAddress?.houseNumber).toBe('20');
    // Two registration confirmations (one per person) and the vehicle record were issued.
    const { documents } = await call(clients.document, 'listDocuments', { moveId });
    const confirmations = documents.filter(
      (d) => d.kind === document.DocumentKind.DOCUMENT_KIND_REGISTRATION_CONFIRMATION,
    );
    expect(confirmations.map((d) => d.personId).sort()).toEqual([ANNA, JONAS]);
    expect(confirmations.every((d) => d.status === document.DocumentStatus.DOCUMENT_STATUS_VALID)).toBe(true);
    // The ID-card sticker appointment was booked.
    const appointmentId = bundle.steps.find((s) => s.key === 'appointment')?.appointment?.appointmentId ?? '';
    const { appointment: booked } = await call(clients.appointment, 'getAppointment', { appointmentId });
    expect(booked?.status).toBe(appointment.AppointmentStatus.APPOINTMENT_STATUS_BOOKED);
    expect(booked?.moveId).toBe(moveId);

    // And each fact once on the topics.
    await waitUntil(() => recorder.events(AppointmentEvents.AppointmentBooked.typeName, bundle.bundleId).length > 0);
    expect(recorder.events(RegistrationEvents.AddressChanged.typeName, bundle.bundleId)).toHaveLength(1);
    expect(recorder.events(VehicleEvents.VehicleHolderAddressUpdated.typeName, bundle.bundleId)).toHaveLength(1);

    // The citizen downloads her confirmation.
    const own = confirmations.find((d) => d.personId === ANNA);
    const pdf = await anna.get(`/api/documents/${own?.documentId}/pdf`);
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('one trace: the citizen’s request, the gRPC call, every publish and every consumer’s processing', async () => {
    const bundleId = bundle.bundleId;
    const ofBundle = (s: ReceivedSpan) => s.attributes['buergerservice.correlation_id'] === bundleId;
    const isPublish = (s: ReceivedSpan) => s.kind === 'producer' && s.name.endsWith(' publish');
    const isProcess = (s: ReceivedSpan) => s.kind === 'consumer' && s.name.endsWith(' process');
    const published = (spans: readonly ReceivedSpan[]) => spans.filter((s) => isPublish(s) && ofBundle(s));
    // Every event of the bundle on the topics has its publish span, and every consumer group its process span.
    const eventIds = [
      ...new Set(
        recorder.records.filter((r) => r.headers.ce_correlationid === bundleId).map((r) => r.headers.ce_id ?? ''),
      ),
    ];
    const spans = await receiver.waitForSpans((all) => {
      const ids = new Set(published(all).map((s) => s.attributes['messaging.message.id']));
      return eventIds.every((id) => ids.has(id));
    }, 60_000);

    const registrationPublish = published(spans).find((s) => s.service === 'registration');
    expect(registrationPublish).toBeDefined();
    const traceId = registrationPublish?.traceId ?? '';
    const inTrace = (s: ReceivedSpan) => s.traceId === traceId || s.links.some((l) => l.traceId === traceId);

    // The citizen's HTTP request at the gateway is the root of the trace ...
    const http = spans.find(
      (s) =>
        s.service === 'portal-gateway' && s.kind === 'server' && s.traceId === traceId && s.parentSpanId === undefined,
    );
    expect(http).toBeDefined();
    expect(String(http?.attributes['http.route'] ?? http?.attributes['url.path'] ?? http?.name)).toContain(
      '/api/bundles',
    );
    // ... the gRPC call goes from the gateway (client) to the registration office (server) in it ...
    const grpcClient = spans.find(
      (s) =>
        s.service === 'portal-gateway' &&
        s.kind === 'client' &&
        s.traceId === traceId &&
        s.name.includes('SubmitChangeOfAddress'),
    );
    const grpcServer = spans.find(
      (s) => s.service === 'registration' && s.kind === 'server' && s.name.includes('SubmitChangeOfAddress'),
    );
    expect(grpcClient).toBeDefined();
    expect(grpcServer?.traceId).toBe(traceId);
    expect(grpcServer?.parentSpanId).toBe(grpcClient?.spanId);

    // ... and every publish and every processing of the bundle's events joins it.
    const publishes = published(spans);
    expect(publishes.map((s) => s.attributes['messaging.message.id']).sort()).toEqual(
      expect.arrayContaining(eventIds.sort()),
    );
    expect(new Set(publishes.map((s) => s.service))).toEqual(
      new Set(['registration', 'vehicle', 'document', 'appointment']),
    );
    for (const span of publishes)
      expect({ span: span.name, service: span.service, inTrace: inTrace(span) }).toMatchObject({ inTrace: true });

    // Each consumer group processes the events it subscribes to; the gateway's tracker reads them all.
    const processed = await receiver.waitForSpans((all) => {
      const bundleProcesses = all.filter((s) => isProcess(s) && ofBundle(s));
      const tracker = new Set(
        bundleProcesses.filter((s) => s.service === 'portal-gateway').map((s) => s.attributes['messaging.message.id']),
      );
      return new Set(bundleProcesses.map((s) => s.service)).size >= 4 && eventIds.every((id) => tracker.has(id));
    }, 60_000);
    const processes = processed.filter((s) => isProcess(s) && ofBundle(s));
    const consumers = new Set(processes.map((s) => s.service));
    for (const service of ['vehicle', 'document', 'appointment', 'portal-gateway'])
      expect(consumers).toContain(service);
    for (const span of processes) {
      expect({ span: span.name, service: span.service, inTrace: inTrace(span) }).toMatchObject({ inTrace: true });
      // Parent/child: the process span is a child of the publish span of the event it handles (and linked to it).
      const publish = publishes.find(
        (p) => p.attributes['messaging.message.id'] === span.attributes['messaging.message.id'],
      );
      if (publish)
        expect(span.parentSpanId === publish.spanId || span.links.some((l) => l.spanId === publish.spanId)).toBe(true);
    }
    // The gateway's tracker processed every event of the bundle.
    const trackerProcessed = new Set(
      processes.filter((s) => s.service === 'portal-gateway').map((s) => s.attributes['messaging.message.id']),
    );
    expect([...trackerProcessed].sort()).toEqual(eventIds.sort());
  });

  it('the same idempotency key twice creates one request', async () => {
    const again = await anna.post('/api/bundles', annaAndJonasWithTheCar(), idempotencyKey);
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as Bundle).bundleId).toBe(bundle.bundleId);
    const list = (await (await anna.get('/api/bundles')).json()) as { items: Bundle[] };
    expect(list.items).toHaveLength(1);
    expect(recorder.events(RegistrationEvents.AddressChanged.typeName, bundle.bundleId)).toHaveLength(1);
  });

  it('citizen A gets 404 on citizen B’s request', async () => {
    const response = await mehmet.get(`/api/bundles/${bundle.bundleId}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await mehmet.post(`/api/bundles/${bundle.bundleId}/revoke`, {})).status).toBe(404);
    const annaDoc = bundle.steps.find((s) => s.key === `registration-confirmation:${ANNA}`)?.documentId;
    expect((await mehmet.get(`/api/documents/${annaDoc}/pdf`)).status).toBe(404);
  });

  it('a malformed bundle gets problem+json naming the field', async () => {
    const body = annaAndJonasWithTheCar();
    body.move.newAddress.postalCode = '4275';
    const response = await mehmet.post('/api/bundles', body);
    expect(response.status).toBe(400);
    const problem = (await response.json()) as {
      type: string;
      title: string;
      status: number;
      errors: { field: string }[];
    };
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(problem.errors.map((e) => e.field)).toEqual(['/move/newAddress/postalCode']);
  });

  it('revoke undoes every step, and the tracker shows it', async () => {
    const response = await anna.post(`/api/bundles/${bundle.bundleId}/revoke`, { reason: 'Umzug fällt aus' });
    expect(response.status).toBe(202);
    const revoked = await bundleWhen(anna, bundle.bundleId, (b) => b.status === 'revoked', 'the bundle revoked');
    expect(revoked.complete).toBe(true);
    expect(Object.fromEntries(revoked.steps.map((s) => [s.key, s.state]))).toEqual({
      registration: 'revoked',
      [`vehicle:${PLATE}`]: 'revoked',
      [`registration-confirmation:${ANNA}`]: 'revoked',
      [`registration-confirmation:${JONAS}`]: 'revoked',
      [`vehicle-registration-record:${PLATE}`]: 'revoked',
      'id-card-sticker-order': 'revoked',
      appointment: 'revoked',
    });
    const moveId = bundle.moveId ?? '';
    const { move } = await call(clients.registration, 'getMove', {
      moveId,
      access: { purpose: 'Ende-zu-Ende-Test: Widerruf', fileReference: '', actingUserId: '' },
    });
    expect(move?.status).toBe(registration.MoveStatus.MOVE_STATUS_REVOKED);
    const { vehicle: car } = await call(clients.vehicle, 'getVehicle', { plate: PLATE });
    expect(car?.holderAddress?.street).toBe('Georg-Schumann-Straße');
    const { documents } = await call(clients.document, 'listDocuments', { moveId });
    expect(documents.length).toBeGreaterThan(0);
    expect(documents.every((d) => d.status === document.DocumentStatus.DOCUMENT_STATUS_REVOKED)).toBe(true);
    const appointmentId = bundle.steps.find((s) => s.key === 'appointment')?.appointment?.appointmentId ?? '';
    const { appointment: cancelled } = await call(clients.appointment, 'getAppointment', { appointmentId });
    expect(cancelled?.status).toBe(appointment.AppointmentStatus.APPOINTMENT_STATUS_CANCELLED);
    expect(recorder.events(DocumentEvents.DocumentRevoked.typeName, bundle.bundleId).length).toBeGreaterThanOrEqual(3);
  });
});
