/** What went wrong, as a stable code the transport edges map (see grpc/errors.ts). */
export type DomainErrorCode =
  | 'document-not-found'
  | 'already-revoked'
  | 'not-pending'
  | 'not-an-order'
  | 'invalid-document-number'
  | 'invalid-signing-key'
  | 'invalid-date'
  | 'holder-not-in-move';

/** A broken rule of the document domain; `field` names the offending input where there is one. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
