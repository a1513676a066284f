import {
  ConflictError,
  type ErrorMapper,
  NotFoundError,
  PermissionDeniedError,
  PreconditionError,
  UnavailableError,
  ValidationError,
} from '@buergerservice/service-kit';
import { mongo } from 'mongoose';
import { DomainError, type DomainErrorCode } from '../domain/errors.js';

type Kind = 'invalid' | 'not-found' | 'denied' | 'precondition' | 'conflict' | 'retry';

const KINDS: Readonly<Record<DomainErrorCode, Kind>> = {
  'unknown-service': 'invalid',
  'unknown-location': 'invalid',
  'service-not-offered-at-location': 'invalid',
  'invalid-date-range': 'invalid',
  'slot-not-offered': 'invalid',
  'slot-outside-booking-window': 'invalid',
  'invitation-required': 'invalid',
  'invitation-not-needed': 'invalid',
  'not-invitation-only': 'invalid',
  'invalid-validity': 'invalid',
  'interpreter-not-offered': 'invalid',
  'interpreter-language-unsupported': 'invalid',
  'wrong-service-for-move': 'invalid',
  'appointment-not-found': 'not-found',
  'not-the-booked-person': 'denied',
  'invitation-not-valid': 'denied',
  'authority-not-allowed': 'denied',
  'person-not-in-move': 'denied',
  'slot-full': 'precondition',
  'invitation-used': 'precondition',
  'invitation-expired': 'precondition',
  'appointment-cancelled': 'precondition',
  'appointment-in-past': 'precondition',
  'move-revoked': 'precondition',
  'idempotency-key-reused': 'conflict',
  'move-already-has-appointment': 'conflict',
  'booking-in-progress': 'retry',
  'reschedule-in-progress': 'retry',
  'concurrent-modification': 'retry',
};

/**
 * The service's errors -> gRPC status, in one place. Domain errors keep
 * their message (no personal data by construction) and become the cause, so
 * the log shows both. A database that cannot be reached is UNAVAILABLE (the
 * caller may retry idempotent calls); anything else stays INTERNAL.
 */
export const mapError: ErrorMapper = (error) => {
  if (error instanceof DomainError) {
    const options = { cause: error };
    switch (KINDS[error.code]) {
      case 'invalid':
        return new ValidationError([{ field: error.field ?? '', description: error.message }], options);
      case 'not-found':
        return new NotFoundError(error.message, options);
      case 'denied':
        return new PermissionDeniedError(error.message, options);
      case 'precondition':
        return new PreconditionError(error.message, options);
      case 'conflict':
        return new ConflictError(error.message, options);
      case 'retry':
        return new UnavailableError(error.message, options);
    }
  }
  if (error instanceof mongo.MongoNetworkError || error instanceof mongo.MongoServerSelectionError) {
    return new UnavailableError('the appointment database is unavailable; try again', { cause: error });
  }
  return undefined;
};
