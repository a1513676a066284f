import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { document } from '@buergerservice/contracts';
import type { EventBus } from '@buergerservice/event-bus';
import { waitUntil } from '@buergerservice/testing';
import { authorityIdempotencyKey } from '../../src/app/idempotency-key.js';
import { TRACKED_TOPICS } from '../../src/events/subscriptions.js';
import { SseClient } from './sse.js';
import { api, householdBundle, type RunningGateway, StandInAuthorities, startGateway, testBus } from './support.js';

/**
 * The gateway's HTTP API over real gRPC (stand-in authorities), real Kafka and
 * real FerretDB: submission, live status, idempotency, problem details,
 * object-level authorization, hardening.
 */

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors: { field: string; message: string }[];
}
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

const WEB_ROOT = path.join(__dirname, '../../dist/web');
const ORIGIN = 'https://portal.leipzig.example';

async function problemOf(response: Response): Promise<Problem> {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await response.json()) as Problem;
}

describe('portal gateway HTTP API', () => {
  let bus: EventBus;
  let authorities: StandInAuthorities;
  let gateway: RunningGateway;
  let anna: ReturnType<typeof api>;
  let mehmet: ReturnType<typeof api>;
  let anonymous: ReturnType<typeof api>;

  beforeAll(async () => {
    bus = testBus('api-test');
    await bus.ensureTopics([...TRACKED_TOPICS]);
    authorities = await new StandInAuthorities(bus).start();
    gateway = await startGateway(authorities, { WEB_ROOT, CORS_ORIGINS: ORIGIN, BODY_LIMIT_BYTES: '4096' });
    anna = api(gateway.url, await gateway.signIn('P0000001'));
    mehmet = api(gateway.url, await gateway.signIn('P0000004'));
    anonymous = api(gateway.url);
  });

  afterAll(async () => {
    await gateway?.stop();
    await authorities?.stop();
    await bus?.disconnect();
  });

  async function submitted(body: unknown = householdBundle()): Promise<Bundle> {
    const response = await anna.post('/api/bundles', body);
    expect(response.status).toBe(202);
    return (await response.json()) as Bundle;
  }

  async function bundleWhen(client: ReturnType<typeof api>, bundleId: string, ready: (b: Bundle) => boolean) {
    let last: unknown;
    return waitUntil(
      async () => {
        const response = await client.get(`/api/bundles/${bundleId}`);
        last = { status: response.status, body: await response.text() };
        if (response.status !== 200) return undefined;
        const bundle = JSON.parse((last as { body: string }).body) as Bundle;
        return ready(bundle) ? bundle : undefined;
      },
      { timeoutMs: 60_000, message: `bundle ${bundleId}` },
    ).catch((error: unknown) => {
      const problems = gateway.logs.filter((l) => !String(l.msg).includes('WITHOUT TLS'));
      for (const line of problems.slice(-80)) process.stderr.write(`LOG ${JSON.stringify(line).slice(0, 500)}\n`);
      throw new Error(`${String(error)}; last answer ${JSON.stringify(last)}`);
    });
  }

  /** Everything the authorities do after AddressChanged for the household with one car and auto-booking. */
  async function authoritiesComplete(
    bundle: Bundle,
  ): Promise<{ annaDoc: document.Document; jonasDoc: document.Document }> {
    const moveId = bundle.moveId ?? '';
    await authorities.vehicleUpdated(bundle.bundleId, moveId, 'L-AM 2026', 'P0000001');
    const annaDoc = await authorities.issueDocument(bundle.bundleId, {
      personId: 'P0000001',
      moveId,
      kind: document.DocumentKind.DOCUMENT_KIND_REGISTRATION_CONFIRMATION,
    });
    const jonasDoc = await authorities.issueDocument(bundle.bundleId, {
      personId: 'P0000002',
      moveId,
      kind: document.DocumentKind.DOCUMENT_KIND_REGISTRATION_CONFIRMATION,
    });
    await authorities.issueDocument(bundle.bundleId, {
      personId: 'P0000001',
      moveId,
      kind: document.DocumentKind.DOCUMENT_KIND_VEHICLE_REGISTRATION_RECORD,
      plate: 'L-AM 2026',
    });
    await authorities.issueDocument(bundle.bundleId, {
      personId: 'P0000001',
      moveId,
      kind: document.DocumentKind.DOCUMENT_KIND_ID_CARD_ADDRESS_STICKER_ORDER,
    });
    await authorities.appointmentBooked(bundle.bundleId, moveId, 'P0000001');
    return { annaDoc, jonasDoc };
  }

  it('asks for a bearer token, as problem details', async () => {
    const response = await anonymous.get('/api/bundles');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ status: 401, instance: '/api/bundles' });
    expect((await api(gateway.url, 'a.b.c').get('/api/bundles')).status).toBe(401);
  });

  it('submits a household bundle and follows every authority to complete', async () => {
    const response = await anna.post('/api/bundles', householdBundle());
    expect(response.status).toBe(202);
    const accepted = (await response.json()) as Bundle;
    expect(response.headers.get('location')).toBe(`/api/bundles/${accepted.bundleId}`);
    expect(accepted.steps.map((s) => s.key)).toEqual([
      'registration',
      'vehicle:L-AM 2026',
      'registration-confirmation:P0000001',
      'registration-confirmation:P0000002',
      'vehicle-registration-record:L-AM 2026',
      'id-card-sticker-order',
      'appointment',
    ]);

    const call = authorities.submitCalls.find((c) => c.correlationId === accepted.bundleId);
    expect(call).toMatchObject({ personId: 'P0000001', coMovingPersonIds: ['P0000002'] });
    expect(call?.idempotencyKey).toMatch(/^portal-gateway:[0-9a-f]{64}$/);
    expect(authorities.clientIds).toEqual(new Set(['portal-gateway']));

    const recorded = await bundleWhen(anna, accepted.bundleId, (b) => b.steps[0]?.state === 'done');
    expect(recorded.status).toBe('in-progress');
    expect(recorded.moveId).toBeTruthy();
    await authoritiesComplete(recorded);
    const complete = await bundleWhen(anna, accepted.bundleId, (b) => b.complete);
    expect(complete.status).toBe('complete');
    expect(complete.steps.every((s) => s.state === 'done')).toBe(true);

    const list = (await (await anna.get('/api/bundles')).json()) as { items: Bundle[] };
    expect(list.items.map((b) => b.bundleId)).toContain(accepted.bundleId);
  });

  it('streams each change of the status (SSE) to the holder of a one-bundle ticket', async () => {
    const bundle = await bundleWhen(anna, (await submitted()).bundleId, (b) => Boolean(b.moveId));
    const ticketResponse = await anna.post(`/api/bundles/${bundle.bundleId}/stream-tickets`, {});
    expect(ticketResponse.status).toBe(201);
    const { eventsUrl, ticket } = (await ticketResponse.json()) as { eventsUrl: string; ticket: string };
    const stream = await new SseClient().open(`${gateway.url}${eventsUrl}`);
    try {
      expect(stream.status).toBe(200);
      expect(stream.contentType).toMatch(/^text\/event-stream/);
      await waitUntil(() => stream.statuses<Bundle>().length > 0, { timeoutMs: 10_000 });
      expect(stream.statuses<Bundle>()[0]?.bundleId).toBe(bundle.bundleId);
      await authorities.vehicleUpdated(bundle.bundleId, bundle.moveId ?? '', 'L-AM 2026', 'P0000001');
      await waitUntil(
        () =>
          stream.statuses<Bundle>().some((b) => b.steps.find((s) => s.key === 'vehicle:L-AM 2026')?.state === 'done'),
        { timeoutMs: 30_000, message: 'vehicle step done on the stream' },
      );
    } finally {
      await stream.close();
    }

    const other = await submitted();
    const misused = await new SseClient().open(
      `${gateway.url}/api/bundles/${other.bundleId}/events?ticket=${encodeURIComponent(ticket)}`,
    );
    expect(misused.status).toBe(401);
    await misused.close();
    const without = await new SseClient().open(`${gateway.url}/api/bundles/${other.bundleId}/events`);
    expect(without.status).toBe(400);
    await without.close();
  });

  it('creates one request for the same Idempotency-Key twice, and refuses the key for another body', async () => {
    const key = randomUUID();
    const body = householdBundle();
    const first = await anna.post('/api/bundles', body, key);
    const second = await anna.post('/api/bundles', body, key);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const a = (await first.json()) as Bundle;
    const b = (await second.json()) as Bundle;
    expect(b.bundleId).toBe(a.bundleId);
    const derived = authorityIdempotencyKey('P0000001', key, 'submit-change-of-address');
    expect(authorities.submitCalls.filter((c) => c.idempotencyKey === derived)).toHaveLength(1);

    const reused = await anna.post('/api/bundles', householdBundle({ members: [] }), key);
    expect(reused.status).toBe(422);
    expect((await problemOf(reused)).errors[0]?.field).toBe('Idempotency-Key');
    // Another citizen may use the same key for their own request.
    expect(
      (await mehmet.post('/api/bundles', { ...householdBundle({ members: [] }), vehiclePlates: [] }, key)).status,
    ).toBe(202);
  });

  it('needs an Idempotency-Key on every POST, naming the header', async () => {
    const response = await anna.post('/api/bundles', householdBundle(), null);
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.errors).toEqual([{ field: 'Idempotency-Key', message: 'header is required', code: 'required' }]);
    expect((await anna.post('/api/bundles', householdBundle(), 'short')).status).toBe(400);
  });

  it('refuses a malformed bundle with problem details naming each field, before any authority sees it', async () => {
    const calls = authorities.submitCalls.length;
    const bad = householdBundle({ postalCode: '4229' }) as ReturnType<typeof householdBundle> & Record<string, unknown>;
    bad.vehiclePlates = ['LAM2026'];
    bad.move = { ...bad.move, moveInDate: '2026-02-30' };
    const response = await anna.post('/api/bundles', bad);
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({
      type: 'https://buergerservice.leipzig.de/problems/validation-failed',
      status: 400,
      instance: '/api/bundles',
    });
    expect(problem.title).toBeTruthy();
    expect(problem.detail).toBeTruthy();
    expect(problem.errors.map((e) => e.field).sort()).toEqual([
      '/move/moveInDate',
      '/move/newAddress/postalCode',
      '/vehiclePlates/0',
    ]);
    expect(authorities.submitCalls.length).toBe(calls);
  });

  it('refuses bodies that are not JSON, too large, or of another type', async () => {
    const token = await gateway.signIn('P0000001');
    const raw = (body: string, type: string) =>
      fetch(`${gateway.url}/api/bundles`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': type, 'idempotency-key': randomUUID() },
        body,
      });
    expect((await problemOf(await raw('{"move":', 'application/json'))).status).toBe(400);
    expect((await problemOf(await raw('move=1', 'application/x-www-form-urlencoded'))).status).toBe(415);
    expect(
      (await problemOf(await raw(JSON.stringify({ padding: 'x'.repeat(10_000) }), 'application/json'))).status,
    ).toBe(413);
  });

  it('maps the registration office’s field violations to the request’s fields and keeps no request', async () => {
    const before = ((await (await anna.get('/api/bundles')).json()) as { items: Bundle[] }).items.length;
    const response = await anna.post('/api/bundles', householdBundle({ postalCode: '04000', members: ['P0000009'] }));
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem.errors).toEqual([
      { field: '/move/newAddress/postalCode', message: 'postal code does not match the street' },
      { field: '/householdMemberIds/0', message: 'is not in the applicant’s household' },
    ]);
    const after = ((await (await anna.get('/api/bundles')).json()) as { items: Bundle[] }).items.length;
    expect(after).toBe(before);
  });

  it('shows a citizen only their own requests, appointments and documents (404 otherwise)', async () => {
    const bundle = await bundleWhen(anna, (await submitted()).bundleId, (b) => Boolean(b.moveId));
    const { annaDoc } = await authoritiesComplete(bundle);
    const complete = await bundleWhen(anna, bundle.bundleId, (b) => b.complete);
    const appointmentId = complete.steps.find((s) => s.key === 'appointment')?.appointment?.appointmentId ?? '';
    expect(appointmentId).toBeTruthy();

    for (const response of [
      await mehmet.get(`/api/bundles/${bundle.bundleId}`),
      await mehmet.post(`/api/bundles/${bundle.bundleId}/revoke`, {}),
      await mehmet.post(`/api/bundles/${bundle.bundleId}/stream-tickets`, {}),
      await mehmet.get(`/api/documents/${annaDoc.documentId}/pdf`),
      await mehmet.get(`/api/appointments/${appointmentId}`),
      await mehmet.get(`/api/appointments/${appointmentId}.ics`),
      await mehmet.post(`/api/appointments/${appointmentId}/cancel`, {}),
      await mehmet.delete(`/api/appointments/${appointmentId}`),
      await mehmet.get(`/api/bundles/${randomUUID()}`),
    ]) {
      expect(response.status).toBe(404);
      expect((await problemOf(response)).type).toMatch(/not-found$/);
    }
    const list = (await (await mehmet.get('/api/bundles')).json()) as { items: Bundle[] };
    expect(list.items.map((b) => b.bundleId)).not.toContain(bundle.bundleId);
    const documents = (await (await mehmet.get('/api/documents')).json()) as { items: { documentId: string }[] };
    expect(documents.items.map((d) => d.documentId)).not.toContain(annaDoc.documentId);
  });

  it('downloads the citizen’s PDFs, including the confirmations of the household members they registered', async () => {
    const bundle = await bundleWhen(anna, (await submitted()).bundleId, (b) => Boolean(b.moveId));
    const { annaDoc, jonasDoc } = await authoritiesComplete(bundle);
    await bundleWhen(anna, bundle.bundleId, (b) => b.complete);
    const own = await anna.get(`/api/documents/${annaDoc.documentId}/pdf`);
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('application/pdf');
    expect(own.headers.get('content-disposition')).toMatch(/attachment; filename="MB-\d+\.pdf"/);
    expect(
      Buffer.from(await own.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect((await anna.get(`/api/documents/${jonasDoc.documentId}/pdf`)).status).toBe(200);
    const documents = (await (await anna.get('/api/documents')).json()) as {
      items: { documentId: string; downloadable: boolean }[];
    };
    expect(documents.items.map((d) => d.documentId)).toEqual(
      expect.arrayContaining([annaDoc.documentId, jonasDoc.documentId]),
    );
  });

  it('revokes a move: the tracker shows each step revoked as the authorities compensate', async () => {
    const bundle = await bundleWhen(anna, (await submitted()).bundleId, (b) => Boolean(b.moveId));
    const { annaDoc, jonasDoc } = await authoritiesComplete(bundle);
    const complete = await bundleWhen(anna, bundle.bundleId, (b) => b.complete);
    const response = await anna.post(`/api/bundles/${bundle.bundleId}/revoke`, { reason: 'Umzug abgesagt' });
    expect(response.status).toBe(202);
    expect(authorities.revokeCalls.at(-1)).toMatchObject({ moveId: bundle.moveId, personId: 'P0000001' });
    const revoking = await bundleWhen(anna, bundle.bundleId, (b) => b.status === 'revoking');
    expect(revoking.steps.find((s) => s.key === 'registration')?.state).toBe('revoked');

    const { AppointmentEvents, DocumentEvents, VehicleEvents, appointment } = await import('@buergerservice/contracts');
    const { publish } = await import('./support.js');
    const moveId = bundle.moveId ?? '';
    const meta = { correlationId: bundle.bundleId, subject: 'P0000001' };
    await publish(
      bus,
      VehicleEvents.VehicleHolderAddressRestored,
      { moveId, plate: 'L-AM 2026', holderPersonId: 'P0000001', restoredRegistrationDistrict: 'L' },
      meta,
    );
    for (const step of complete.steps.filter((s) => s.documentId)) {
      const kind = step.key.startsWith('registration-confirmation')
        ? document.DocumentKind.DOCUMENT_KIND_REGISTRATION_CONFIRMATION
        : step.key.startsWith('vehicle-registration-record')
          ? document.DocumentKind.DOCUMENT_KIND_VEHICLE_REGISTRATION_RECORD
          : document.DocumentKind.DOCUMENT_KIND_ID_CARD_ADDRESS_STICKER_ORDER;
      await publish(
        bus,
        DocumentEvents.DocumentRevoked,
        document.DocumentRevoked.fromPartial({
          documentId: step.documentId,
          kind,
          personId: step.key.endsWith('P0000002') ? 'P0000002' : 'P0000001',
          moveId,
          plate: step.key.includes('L-AM') ? 'L-AM 2026' : '',
          reason: 'move-revoked',
        }),
        meta,
      );
    }
    const appointmentId = complete.steps.find((s) => s.key === 'appointment')?.appointment?.appointmentId ?? '';
    await publish(
      bus,
      AppointmentEvents.AppointmentCancelled,
      appointment.AppointmentCancelled.fromPartial({
        appointmentId,
        personId: 'P0000001',
        moveId,
        reason: 'move-revoked',
      }),
      meta,
    );
    const revoked = await bundleWhen(anna, bundle.bundleId, (b) => b.status === 'revoked');
    expect(revoked.complete).toBe(true);
    expect(revoked.steps.every((s) => s.state === 'revoked')).toBe(true);
    expect([annaDoc.documentId, jonasDoc.documentId]).toEqual(
      expect.arrayContaining(
        revoked.steps.flatMap((s) => (s.key.startsWith('registration-confirmation') ? [s.documentId] : [])),
      ),
    );

    const again = await anna.post(`/api/bundles/${bundle.bundleId}/revoke`, {});
    expect(again.status).toBe(202);
  });

  it('answers 503 when registration is unreachable; a retry with the same key reaches the same request', async () => {
    // One failed attempt and the gateway's two retries of the idempotent call.
    authorities.failNextSubmits = 3;
    const key = randomUUID();
    const first = await anna.post('/api/bundles', householdBundle(), key);
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBeTruthy();
    const retry = await anna.post('/api/bundles', householdBundle(), key);
    expect(retry.status).toBe(202);
    const bundle = (await retry.json()) as Bundle;
    const derived = authorityIdempotencyKey('P0000001', key, 'submit-change-of-address');
    const calls = authorities.submitCalls.filter((c) => c.idempotencyKey === derived);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(new Set(calls.map((c) => c.correlationId))).toEqual(new Set([bundle.bundleId]));
    expect(authorities.moves.get(derived)?.move.correlationId).toBe(bundle.bundleId);
  });

  it('lists locations and slots, books an offered slot for the bundle, gives it as iCalendar, reschedules and cancels', async () => {
    const locations = (await (await anna.get('/api/locations')).json()) as { items: { locationId: string }[] };
    expect(locations.items[0]?.locationId).toBe('bb-gohlis');
    const slots = await anna.get('/api/slots?serviceId=id-card-sticker&from=2026-06-01&to=2026-06-30&limit=5');
    expect(slots.status).toBe(200);
    const slot = ((await slots.json()) as { items: { locationId: string; serviceId: string; start: string }[] })
      .items[0];
    expect(slot?.start).toBe('2026-06-01T08:00:00.000Z');
    const invalid = await problemOf(
      await anna.get('/api/slots?serviceId=id-card-sticker&from=2026-06-30&to=2026-06-01'),
    );
    expect(invalid).toMatchObject({ status: 422, errors: [{ field: 'to' }] });
    expect((await problemOf(await anna.get('/api/slots?limit=x'))).errors.map((e) => e.field).sort()).toEqual([
      'limit',
      'serviceId',
    ]);

    const bundle = await bundleWhen(anna, (await submitted(householdBundle({ autoBook: false }))).bundleId, (b) =>
      Boolean(b.moveId),
    );
    const booked = await anna.post('/api/appointments', {
      bundleId: bundle.bundleId,
      serviceId: slot?.serviceId,
      locationId: slot?.locationId,
      start: slot?.start,
    });
    expect(booked.status).toBe(201);
    const appointment = (await booked.json()) as { appointmentId: string; status: string };
    expect(authorities.bookCalls.at(-1)).toMatchObject({ moveId: bundle.moveId, personId: 'P0000001' });
    expect(
      (
        await mehmet.post('/api/appointments', {
          bundleId: bundle.bundleId,
          serviceId: 's',
          locationId: 'bb-gohlis',
          start: slot?.start,
        })
      ).status,
    ).toBe(404);

    const ics = await anna.get(`/api/appointments/${appointment.appointmentId}.ics`);
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(await ics.text()).toContain('BEGIN:VCALENDAR');
    const moved = await anna.post(`/api/appointments/${appointment.appointmentId}/reschedule`, {
      start: '2026-06-02T09:00:00Z',
    });
    expect(((await moved.json()) as { start: string }).start).toBe('2026-06-02T09:00:00.000Z');
    const cancelled = await anna.delete(`/api/appointments/${appointment.appointmentId}`);
    expect(((await cancelled.json()) as { status: string }).status).toBe('cancelled');
  });

  it('verifies documents publicly, and answers an internal failure without any detail', async () => {
    const unknown = await anonymous.get('/api/verify/NOPE-1234');
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ result: 'unknown' });
    const bad = await anonymous.get('/api/verify/%3Cscript%3E');
    expect(bad.status).toBe(400);
    const failing = await anonymous.get('/api/verify/BOOM-0000');
    expect(failing.status).toBe(500);
    const problem = await problemOf(failing);
    expect(problem.detail).toBe('Something went wrong on our side. Please try again later.');
    expect(JSON.stringify(problem)).not.toMatch(/stack|\.ts\b|corrupt|signing key/i);
  });

  it('sends security headers, serves the page and the OpenAPI document', async () => {
    const page = await fetch(`${gateway.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-powered-by')).toBeNull();
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await page.text();
    expect(html).not.toMatch(/<script>(?!<\/script>)|<style>|style="|onclick=/);
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);

    const openapi = (await (await fetch(`${gateway.url}/api/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/api/bundles', '/api/bundles/{bundleId}/events', '/api/verify/{code}']),
    );
    const missing = await anonymous.get('/api/nothing-here');
    expect((await problemOf(missing)).status).toBe(404);
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { database: true, tracker: true } });
  });

  it('answers CORS only for the allowlisted origin', async () => {
    const preflight = (origin: string) =>
      fetch(`${gateway.url}/api/bundles`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, idempotency-key',
        },
      });
    const allowed = await preflight(ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/Idempotency-Key/);
    const refused = await preflight('https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('limits requests per citizen and per client address', async () => {
    const limited = await startGateway(authorities, {
      RATE_LIMIT_PER_CITIZEN_PER_MINUTE: '3',
      RATE_LIMIT_PER_IP_PER_MINUTE: '8',
    });
    try {
      const citizen = api(limited.url, await limited.signIn('P0000004'));
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await citizen.get('/api/bundles')).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const tooMany = await citizen.get('/api/bundles');
      expect((await problemOf(tooMany)).status).toBe(429);
      expect(tooMany.headers.get('retry-after')).toBeTruthy();
      // Another citizen has their own allowance, until the address's is used up.
      const other = api(limited.url, await limited.signIn('P0000001'));
      expect((await other.get('/api/bundles')).status).toBe(200);
      const further: number[] = [];
      for (let i = 0; i < 4; i++) further.push((await other.get('/api/bundles')).status);
      expect(further).toContain(429);
    } finally {
      await limited.stop();
    }
  });
});
