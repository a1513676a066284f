import {
  ConflictError,
  type ErrorMapper,
  NotFoundError,
  UnavailableError,
  ValidationError,
} from '@buergerservice/service-kit';
import { DomainError } from '../domain/errors.js';

/** The service's domain errors -> the kit's errors, in one place; the domain error stays the `cause` (logged, not sent). */
export const mapDomainError: ErrorMapper = (error) => {
  if (!(error instanceof DomainError)) return undefined;
  switch (error.code) {
    case 'vehicle-not-found':
      return new NotFoundError('vehicle not found', { cause: error });
    case 'plate-taken':
    case 'vin-taken':
    case 'idempotency-key-reused':
      return new ConflictError(error.message, { cause: error });
    case 'invalid-plate':
    case 'invalid-vin':
    case 'invalid-value':
      return new ValidationError([{ field: error.field ?? 'request', description: error.message }], { cause: error });
    case 'concurrent-modification':
      return new UnavailableError('the vehicle is being changed concurrently; retry', { cause: error });
  }
};
