import { type ErrorMapper, NotFoundError } from '@buergerservice/service-kit';
import { DomainError } from '../domain/errors.js';

/** The service's domain errors as kit errors, in one place; the domain error stays the cause (logged, never sent). */
export const mapDomainError: ErrorMapper = (error) => {
  if (!(error instanceof DomainError)) return undefined;
  switch (error.code) {
    case 'document-not-found':
      return new NotFoundError('document not found', { cause: error });
    default:
      // Everything else is a broken invariant inside the service: INTERNAL.
      return undefined;
  }
};
