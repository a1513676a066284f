/** A broken rule of the register, with the request field it concerns (snake_case proto path). */
export interface RuleViolation {
  readonly field: string;
  readonly description: string;
}

export type DomainErrorCode =
  /** The request breaks rules of the register; `violations` says which, per field. */
  | 'invalid-move'
  /** A person, move or other record addressed by id does not exist. */
  | 'person-not-found'
  | 'move-not-found'
  /** One of the persons already has a move that is not final yet (BMG: one registration act at a time). */
  | 'pending-move-exists'
  /** The idempotency key was used before with a different request. */
  | 'idempotency-key-reused'
  /** The move can no longer be revoked. */
  | 'revocation-window-closed';

/**
 * The one error type of the domain. Its message names ids and rules, never
 * personal data: the transport sends it to the caller and the log keeps it.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly violations: readonly RuleViolation[];

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    options: { violations?: readonly RuleViolation[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.violations = options.violations ?? [];
  }
}
