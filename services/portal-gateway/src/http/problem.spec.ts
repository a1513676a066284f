import { AppError } from '../app/errors.js';
import { HttpError, PROBLEM_BASE, toProblem } from './problem.js';

describe('problem details (RFC 9457)', () => {
  it('carries type, title, status, detail, instance and the fields', () => {
    const { problem } = toProblem(
      new HttpError('validation-failed', 'Some fields are not valid.', [
        { field: '/move/newAddress/postalCode', message: 'has an invalid format', code: 'pattern' },
      ]),
      '/api/bundles',
    );
    expect(problem).toEqual({
      type: `${PROBLEM_BASE}validation-failed`,
      title: expect.stringContaining('Invalid request'),
      status: 400,
      detail: 'Some fields are not valid.',
      instance: '/api/bundles',
      errors: [{ field: '/move/newAddress/postalCode', message: 'has an invalid format', code: 'pattern' }],
    });
  });

  it.each([
    ['not-found', 404],
    ['rejected', 422],
    ['precondition-failed', 409],
    ['conflict', 409],
    ['idempotency-key-reused', 422],
    ['request-in-progress', 409],
    ['unavailable', 503],
  ] as const)('maps %s to %i', (code, status) => {
    const { problem, headers } = toProblem(new AppError(code, 'x'), '/api/x');
    expect(problem.status).toBe(status);
    if (code === 'unavailable') expect(headers['retry-after']).toBeDefined();
  });

  it('answers anything unexpected with a generic 500 that reveals nothing', () => {
    const secret = new Error(
      'connect ECONNREFUSED mongodb://admin:hunter2@db:27017 at Object.<anonymous> (/app/x.js:1:1)',
    );
    const { problem } = toProblem(secret, '/api/bundles');
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toMatch(/hunter2|ECONNREFUSED|\.js|at Object/);
  });

  it('maps body parser failures', () => {
    expect(toProblem({ type: 'entity.parse.failed', status: 400 }, '/api/bundles').problem.status).toBe(400);
    expect(toProblem({ type: 'entity.too.large', status: 413 }, '/api/bundles').problem.status).toBe(413);
  });
});
