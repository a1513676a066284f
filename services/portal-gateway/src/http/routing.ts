import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type Citizen, citizenOf } from './auth.js';
import { HttpError, instanceOf, toProblem } from './problem.js';
import type { CompiledOperation } from './validation.js';
import type { IdempotencyStore, StoredResponse } from '../store/idempotency-store.js';

/** What a handler answers; the runner sends it (and stores it for idempotent POSTs). */
export interface HttpResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** A non-JSON answer (PDF, iCalendar). */
  readonly raw?: { readonly contentType: string; readonly data: Uint8Array | string };
}

export interface RouteContext {
  readonly citizen: Citizen | undefined;
  /** The citizen's Idempotency-Key (POSTs only). */
  readonly idempotencyKey: string;
  /** Allocated once per Idempotency-Key (e.g. the bundle id), reused by a retry. */
  readonly resourceId: string;
  /** Aborted when the client goes away (GETs only: a POST runs to its end once started). */
  readonly signal: AbortSignal | undefined;
}

export type RouteHandler = (req: Request, ctx: RouteContext) => Promise<HttpResult>;

const IDEMPOTENCY_KEY = /^[\x21-\x7E]{8,255}$/;

/** JSON with sorted keys, so the fingerprint of a body does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function toStoredResponse(result: HttpResult): StoredResponse {
  return {
    status: result.status,
    headers: { ...result.headers },
    body: result.body === undefined ? '' : JSON.stringify(result.body),
  };
}

function send(res: Response, result: HttpResult): void {
  res.status(result.status);
  if (result.headers) res.set(result.headers);
  if (result.raw) {
    res
      .type(result.raw.contentType)
      .send(typeof result.raw.data === 'string' ? result.raw.data : Buffer.from(result.raw.data));
  } else if (result.body === undefined) res.end();
  else res.json(result.body);
}

function sendStored(res: Response, stored: StoredResponse): void {
  res.status(stored.status).set(stored.headers).set('idempotent-replayed', 'true');
  if (stored.body === '') res.end();
  else res.type(stored.headers['content-type'] ?? 'application/json').send(stored.body);
}

function clientSignal(req: Request, res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  req.on('aborted', () => controller.abort());
  return controller.signal;
}

export interface RunnerDeps {
  readonly idempotency: IdempotencyStore;
  readonly newResourceId: () => string;
  /** Logs a failure whose cause the client does not see. */
  readonly onServerError: (error: unknown, req: Request) => void;
}

/**
 * The express handler of one operation: validates parameters and body against
 * the OpenAPI document, applies the Idempotency-Key protocol on POSTs, runs the
 * handler and sends its result. Errors go to the problem handler.
 */
export function operationHandler(
  compiled: CompiledOperation,
  handler: RouteHandler,
  deps: RunnerDeps,
  authenticated: boolean,
): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const citizen = authenticated ? citizenOf(req) : undefined;
      const { body } = validateRequest(compiled, req);

      if (!compiled.requiresIdempotencyKey) {
        send(res, await handler(req, { citizen, idempotencyKey: '', resourceId: '', signal: clientSignal(req, res) }));
        return;
      }
      const key = req.get('idempotency-key');
      if (!key || !IDEMPOTENCY_KEY.test(key)) {
        throw new HttpError(
          'idempotency-key-missing',
          'Every POST needs an Idempotency-Key header (8-255 visible ASCII characters).',
          [
            {
              field: 'Idempotency-Key',
              message: key ? 'has an invalid format' : 'header is required',
              code: key ? 'pattern' : 'required',
            },
          ],
        );
      }
      const scope = citizen?.personId ?? 'anonymous';
      const id = sha256(`${scope}\u0000${key}`);
      const fingerprint = sha256(`${req.method} ${req.baseUrl}${req.path}\u0000${canonicalJson(body ?? null)}`);
      const claim = await deps.idempotency.claim(id, fingerprint, deps.newResourceId);
      if (claim.kind === 'replay') {
        sendStored(res, claim.response);
        return;
      }
      if (claim.kind === 'mismatch') {
        throw new HttpError(
          'idempotency-key-reused',
          'This Idempotency-Key was already used for a different request.',
          [{ field: 'Idempotency-Key', message: 'was used with another request', code: 'reused' }],
        );
      }
      if (claim.kind === 'in-progress') {
        throw new HttpError(
          'request-in-progress',
          'A request with this Idempotency-Key is still being processed.',
          [],
          {
            headers: { 'retry-after': '1' },
          },
        );
      }
      let result: HttpResult;
      try {
        result = await handler(req, { citizen, idempotencyKey: key, resourceId: claim.resourceId, signal: undefined });
      } catch (error) {
        await settleFailure(deps, id, error, req);
        throw error;
      }
      const stored = toStoredResponse(result);
      await deps.idempotency.complete(id, {
        ...stored,
        headers: { ...stored.headers, 'content-type': 'application/json' },
      });
      send(res, result);
    } catch (error) {
      next(error);
    }
  };
}

/** Client errors are final and replayed; server errors free the key for a retry. */
async function settleFailure(deps: RunnerDeps, id: string, error: unknown, req: Request): Promise<void> {
  const { problem, headers } = toProblem(error, instanceOf(req));
  if (problem.status >= 500 || problem.status === 409) {
    await deps.idempotency.release(id).catch((releaseError: unknown) => deps.onServerError(releaseError, req));
    return;
  }
  await deps.idempotency.complete(id, {
    status: problem.status,
    headers: { ...headers, 'content-type': 'application/problem+json' },
    body: JSON.stringify(problem),
  });
}

/**
 * Validates path, query and body of a request against its operation; throws a
 * 400 naming every bad field, else keeps the (coerced) values for `validated`.
 */
export function validateRequest(
  compiled: CompiledOperation,
  req: Request,
): { params: Record<string, unknown>; query: Record<string, unknown>; body: unknown } {
  const params = { ...req.params } as Record<string, unknown>;
  const query = { ...(req.query as Record<string, unknown>) };
  const errors = compiled.validateParameters(params, query);
  const body: unknown = compiled.hasBody ? normalisedBody(req) : undefined;
  if (compiled.hasBody) errors.push(...compiled.validateBody(body));
  if (errors.length > 0) throw new HttpError('validation-failed', 'Some fields are not valid.', errors);
  const value = { params, query, body };
  Object.defineProperty(req, 'validated', { value, enumerable: false, configurable: true });
  return value;
}

/** The parsed JSON body; undefined when none was sent. A body that is not JSON is refused (415). */
function normalisedBody(req: Request): unknown {
  const hasBody = (req.get('content-length') ?? '0') !== '0' || req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is('application/json')) {
    throw new HttpError('unsupported-media-type', 'Send the body as application/json.');
  }
  return req.body as unknown;
}

/** Parameters and body after validation (the runner stores them on the request). */
export function validated<P = Record<string, string>, Q = Record<string, unknown>, B = unknown>(
  req: Request,
): { params: P; query: Q; body: B } {
  const value = (req as Request & { validated?: { params: P; query: Q; body: B } }).validated;
  if (!value) throw new Error('request was not validated');
  return value;
}
