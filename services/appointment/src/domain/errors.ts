/**
 * Every rule the domain enforces fails with a DomainError: a stable code the
 * transport edge maps to a status (grpc/errors.ts), a message without
 * personal data, and the offending request field where there is one.
 */
export type DomainErrorCode =
  | 'unknown-service'
  | 'unknown-location'
  | 'service-not-offered-at-location'
  | 'invalid-date-range'
  | 'slot-not-offered'
  | 'slot-outside-booking-window'
  | 'slot-full'
  | 'invitation-required'
  | 'invitation-not-needed'
  | 'invitation-not-valid'
  | 'invitation-used'
  | 'invitation-expired'
  | 'not-invitation-only'
  | 'authority-not-allowed'
  | 'invalid-validity'
  | 'interpreter-not-offered'
  | 'interpreter-language-unsupported'
  | 'idempotency-key-reused'
  | 'booking-in-progress'
  | 'appointment-not-found'
  | 'not-the-booked-person'
  | 'appointment-cancelled'
  | 'appointment-in-past'
  | 'reschedule-in-progress'
  | 'move-revoked'
  | 'move-already-has-appointment'
  | 'person-not-in-move'
  | 'wrong-service-for-move'
  | 'concurrent-modification';

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The request field (snake_case proto path) the error is about, if any. */
    readonly field?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
