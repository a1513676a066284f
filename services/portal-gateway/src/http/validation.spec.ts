import { openApiDocument } from './openapi.js';
import { canonicalJson } from './routing.js';
import { RequestValidator } from './validation.js';

describe('request validation from the OpenAPI document', () => {
  const validator = new RequestValidator(openApiDocument);

  it('compiles every operation and knows which need an Idempotency-Key', () => {
    const posts = validator.entries().filter((e) => e.method === 'post');
    expect(posts.length).toBeGreaterThan(4);
    for (const { path } of posts) expect(validator.operation('post', path).requiresIdempotencyKey).toBe(true);
    expect(validator.operation('get', '/api/bundles').requiresIdempotencyKey).toBe(false);
  });

  it('checks path and query parameters, converting integers', () => {
    const slots = validator.operation('get', '/api/slots');
    const query: Record<string, unknown> = { serviceId: 'id-card', limit: '20', from: '2026-05-01' };
    expect(slots.validateParameters({}, query)).toEqual([]);
    expect(query.limit).toBe(20);
    expect(
      slots
        .validateParameters({}, { limit: '500', from: '2026-02-31', extra: '1' })
        .map((e) => e.field)
        .sort(),
    ).toEqual(['extra', 'from', 'limit', 'serviceId']);
    const bundle = validator.operation('get', '/api/bundles/{bundleId}');
    expect(bundle.validateParameters({ bundleId: 'not-a-uuid' }, {})).toEqual([
      expect.objectContaining({ field: 'bundleId', code: 'format' }),
    ]);
  });

  it('refuses unknown fields and reports a missing body', () => {
    const book = validator.operation('post', '/api/appointments');
    expect(book.validateBody(undefined)).toEqual([expect.objectContaining({ code: 'required' })]);
    expect(
      book.validateBody({ serviceId: 's', locationId: 'l', start: '2026-05-06T08:00:00Z', personId: 'P0000004' }),
    ).toEqual([expect.objectContaining({ field: '/personId', code: 'unknown-field' })]);
    const revoke = validator.operation('post', '/api/bundles/{bundleId}/revoke');
    expect(revoke.validateBody(undefined)).toEqual([]);
  });

  it('fingerprints bodies independently of key order', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }] })).toBe(canonicalJson({ a: [{ x: 1, y: 2 }], b: 1 }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: 2 }));
  });
});
