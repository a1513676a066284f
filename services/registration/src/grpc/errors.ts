import {
  ConflictError,
  type ErrorMapper,
  NotFoundError,
  PreconditionError,
  ValidationError,
} from '@buergerservice/service-kit';
import { DomainError } from '../domain/errors.js';

/** The one place where the register's rules become gRPC statuses; the domain error stays the cause (logged). */
export const mapDomainError: ErrorMapper = (error) => {
  if (!(error instanceof DomainError)) return undefined;
  const options = { cause: error };
  switch (error.code) {
    case 'invalid-move':
      return new ValidationError(error.violations, options);
    case 'person-not-found':
    case 'move-not-found':
      return new NotFoundError(error.message, options);
    case 'pending-move-exists':
    case 'revocation-window-closed':
      return new PreconditionError(error.message, options);
    case 'idempotency-key-reused':
      return new ConflictError(error.message, options);
  }
};
