/**
 * The gateway's typed errors. Use cases and the authority adapters throw
 * them (keeping the original as `cause`); the HTTP edge maps them to problem
 * details in one place (http/problem.ts). Messages are shown to the citizen:
 * no internals, no personal data.
 */

export type AppErrorCode =
  /** The object does not exist or belongs to someone else (never tell which). */
  | 'not-found'
  /** An authority refused the values; `violations` name the fields. */
  | 'rejected'
  /** The state forbids it now, e.g. the revocation window has closed. */
  | 'precondition-failed'
  /** Conflicts with existing state, e.g. a slot taken meanwhile. */
  | 'conflict'
  /** The same Idempotency-Key was used with a different request. */
  | 'idempotency-key-reused'
  /** A request with this Idempotency-Key is still being processed. */
  | 'request-in-progress'
  /** An authority is unreachable or too slow; retrying with the same key is safe. */
  | 'unavailable';

export interface Violation {
  /** JSON pointer into the citizen's request (or a parameter name). */
  readonly field: string;
  readonly message: string;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly violations: readonly Violation[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function notFound(what: string): AppError {
  return new AppError('not-found', `${what} not found`);
}
