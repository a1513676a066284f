import { randomUUID } from 'node:crypto';
import { berlinDate } from '@buergerservice/calendar';
import { demoPopulation, seededRandom } from '@buergerservice/demo-data';
import { bundleFor, drillHouseholds } from '../../src/population.js';
import { type RunningPlatform, startPlatform } from './harness.js';

/**
 * OWASP API Security top risks at the portal, against the real gateway and
 * registration: object-level authorization (another citizen's bundle),
 * mass assignment (fields the client may not set), excessive data exposure
 * (what a bundle shows), and rate limits — every refusal as problem+json.
 */

const PER_CITIZEN_PER_MINUTE = 30;

describe('OWASP API risks at the portal gateway', () => {
  let running: RunningPlatform;
  const [first, second] = drillHouseholds(demoPopulation({ persons: 40, vehicles: 20 }));

  beforeAll(async () => {
    running = await startPlatform({
      persons: 40,
      vehicles: 20,
      only: ['registration', 'portal-gateway'],
      extraEnv: { 'portal-gateway': { RATE_LIMIT_PER_CITIZEN_PER_MINUTE: String(PER_CITIZEN_PER_MINUTE) } },
    });
  }, 300_000);

  afterAll(async () => {
    await running?.stop();
  }, 60_000);

  const api = async (method: string, path: string, personId: string, body?: unknown) => {
    const response = await fetch(`${running.platform.gatewayUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await running.issuer.token(personId)}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': randomUUID() }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
  };

  let bundleId = '';

  it('lets a citizen submit and read their own bundle, without data they did not give', async () => {
    if (!first) throw new Error('no household');
    const spec = bundleFor(first, seededRandom(11), berlinDate(new Date()), 1);
    const submitted = await api('POST', '/api/bundles', first.applicant.personId, spec.body);
    expect(submitted.status).toBe(202);
    bundleId = (JSON.parse(submitted.text) as { bundleId: string }).bundleId;
    const own = await api('GET', `/api/bundles/${bundleId}`, first.applicant.personId);
    expect(own.status).toBe(200);
    // Excessive data exposure: no birth date, nationality or religion of anyone in the household.
    for (const person of [first.applicant, ...first.members]) expect(own.text).not.toContain(person.dateOfBirth);
    expect(own.text).not.toMatch(/dateOfBirth|nationalit|religio/i);
  });

  it("refuses another citizen's bundle (object-level authorization) as problem+json, revealing nothing", async () => {
    if (!second) throw new Error('no second household');
    for (const [method, path] of [
      ['GET', `/api/bundles/${bundleId}`],
      ['POST', `/api/bundles/${bundleId}/revoke`],
      ['POST', `/api/bundles/${bundleId}/stream-tickets`],
    ] as const) {
      const foreign = await api(method, path, second.applicant.personId, method === 'POST' ? {} : undefined);
      expect({ path, method, status: [403, 404].includes(foreign.status) }).toEqual({ path, method, status: true });
      expect(foreign.type).toContain('application/problem+json');
      expect(foreign.text).not.toContain(first?.applicant.personId ?? '');
    }
  });

  it('rejects fields a citizen may not set (mass assignment)', async () => {
    if (!second) throw new Error('no second household');
    const spec = bundleFor(second, seededRandom(12), berlinDate(new Date()), 2);
    for (const extra of [{ status: 'complete' }, { personId: 'P0000001' }, { bundleId: randomUUID() }]) {
      const sent = await api('POST', '/api/bundles', second.applicant.personId, { ...spec.body, ...extra });
      expect({ extra, status: sent.status }).toEqual({ extra, status: 400 });
      expect(sent.type).toContain('application/problem+json');
    }
  });

  it('limits the requests of one citizen (429 as problem+json)', async () => {
    if (!second) throw new Error('no second household');
    const statuses: number[] = [];
    let limited: { type: string } | undefined;
    for (let i = 0; i < PER_CITIZEN_PER_MINUTE + 5 && !limited; i++) {
      const r = await api('GET', '/api/me', second.applicant.personId);
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    expect(limited?.type ?? `no 429 after ${statuses.length} requests: ${statuses.join(',')}`).toContain(
      'application/problem+json',
    );
  });
});
