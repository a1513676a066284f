/**
 * What can go wrong in the vehicle register, as the domain sees it. The gRPC
 * edge maps each code to a status in one place (grpc/errors.ts).
 */
export type DomainErrorCode =
  | 'invalid-plate'
  | 'invalid-vin'
  | 'invalid-value'
  | 'vehicle-not-found'
  | 'plate-taken'
  | 'vin-taken'
  | 'idempotency-key-reused'
  | 'concurrent-modification';

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The offending field in the contract's snake_case path, where there is one. */
    readonly field?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
