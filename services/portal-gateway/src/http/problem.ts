import type { Request, Response } from 'express';
import { AppError, type AppErrorCode } from '../app/errors.js';
import type { FieldError } from './validation.js';

/**
 * RFC 9457 problem details, the one way the gateway reports errors. Every
 * error becomes a problem here, in one place; the cause goes to the log,
 * never to the client (no stack traces, no internals).
 */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly errors: readonly { readonly field: string; readonly message: string; readonly code?: string }[];
}

export const PROBLEM_BASE = 'https://buergerservice.leipzig.de/problems/';

export type ProblemCode =
  | AppErrorCode
  | 'validation-failed'
  | 'idempotency-key-missing'
  | 'malformed-json'
  | 'unsupported-media-type'
  | 'payload-too-large'
  | 'unauthenticated'
  | 'rate-limited'
  | 'internal';

const catalogue: Record<ProblemCode, { status: number; title: string }> = {
  'validation-failed': { status: 400, title: 'Ungültige Anfrage / Invalid request' },
  'idempotency-key-missing': { status: 400, title: 'Idempotency-Key fehlt / Idempotency-Key missing' },
  'malformed-json': { status: 400, title: 'Kein gültiges JSON / Malformed JSON' },
  'unsupported-media-type': { status: 415, title: 'Nur JSON / JSON only' },
  'payload-too-large': { status: 413, title: 'Anfrage zu groß / Request too large' },
  unauthenticated: { status: 401, title: 'Nicht angemeldet / Not signed in' },
  'not-found': { status: 404, title: 'Nicht gefunden / Not found' },
  rejected: { status: 422, title: 'Von der Behörde abgelehnt / Refused by the authority' },
  'precondition-failed': { status: 409, title: 'Derzeit nicht möglich / Not possible now' },
  conflict: { status: 409, title: 'Konflikt / Conflict' },
  'idempotency-key-reused': {
    status: 422,
    title: 'Idempotency-Key schon verwendet / Idempotency-Key used for another request',
  },
  'request-in-progress': { status: 409, title: 'Wird noch bearbeitet / Still in progress' },
  'rate-limited': { status: 429, title: 'Zu viele Anfragen / Too many requests' },
  unavailable: { status: 503, title: 'Vorübergehend nicht erreichbar / Temporarily unavailable' },
  internal: { status: 500, title: 'Interner Fehler / Internal error' },
};

/** An error raised by the HTTP layer itself (validation, authentication, idempotency). */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly errors: readonly FieldError[] = [],
    options?: ErrorOptions & { headers?: Record<string, string> },
  ) {
    super(message, options);
    this.headers = options?.headers ?? {};
  }
  readonly headers: Record<string, string>;
}

export function problem(code: ProblemCode, detail: string, instance: string, errors: Problem['errors'] = []): Problem {
  const { status, title } = catalogue[code];
  return { type: `${PROBLEM_BASE}${code}`, title, status, detail, instance, errors };
}

/** The path of the request, without the query string (it may hold a stream ticket). */
export function instanceOf(req: Request): string {
  return req.originalUrl.split('?')[0] ?? '';
}

interface BodyParserError {
  type?: unknown;
  status?: unknown;
}

/** Maps anything thrown while handling a request to a problem, and tells whether it is a server fault. */
export function toProblem(error: unknown, instance: string): { problem: Problem; headers: Record<string, string> } {
  if (error instanceof HttpError) {
    return { problem: problem(error.code, error.message, instance, error.errors), headers: error.headers };
  }
  if (error instanceof AppError) {
    const headers: Record<string, string> = error.code === 'unavailable' ? { 'retry-after': '5' } : {};
    if (error.code === 'request-in-progress') headers['retry-after'] = '1';
    return { problem: problem(error.code, error.message, instance, error.violations), headers };
  }
  const parserError = error as BodyParserError;
  if (typeof parserError === 'object' && parserError !== null && typeof parserError.type === 'string') {
    if (parserError.type === 'entity.parse.failed') {
      return { problem: problem('malformed-json', 'The body is not valid JSON.', instance), headers: {} };
    }
    if (parserError.type === 'entity.too.large') {
      return { problem: problem('payload-too-large', 'The body is larger than allowed.', instance), headers: {} };
    }
    if (parserError.status === 415 || parserError.type === 'encoding.unsupported') {
      return { problem: problem('unsupported-media-type', 'Unsupported body encoding.', instance), headers: {} };
    }
  }
  return {
    problem: problem('internal', 'Something went wrong on our side. Please try again later.', instance),
    headers: {},
  };
}

export function sendProblem(res: Response, value: Problem, headers: Record<string, string> = {}): void {
  res.status(value.status).set(headers).type('application/problem+json').send(JSON.stringify(value));
}
