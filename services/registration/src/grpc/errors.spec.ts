import { status } from '@grpc/grpc-js';
import { DomainError } from '../domain/errors.js';
import { mapDomainError } from './errors.js';

describe('domain errors at the gRPC edge', () => {
  it.each([
    ['invalid-move', status.INVALID_ARGUMENT],
    ['person-not-found', status.NOT_FOUND],
    ['move-not-found', status.NOT_FOUND],
    ['pending-move-exists', status.FAILED_PRECONDITION],
    ['revocation-window-closed', status.FAILED_PRECONDITION],
    ['idempotency-key-reused', status.ALREADY_EXISTS],
  ] as const)('%s -> %s, keeping the cause', (code, expected) => {
    const error = new DomainError(code, 'x', { violations: [{ field: 'move_in_date', description: 'bad' }] });
    const mapped = mapDomainError(error);
    expect(mapped?.code).toBe(expected);
    expect(mapped?.cause).toBe(error);
  });

  it('carries the field violations of a broken rule', () => {
    const mapped = mapDomainError(
      new DomainError('invalid-move', 'x', { violations: [{ field: 'new_address.street', description: 'unknown' }] }),
    );
    expect(mapped).toMatchObject({ violations: [{ field: 'new_address.street', description: 'unknown' }] });
  });

  it('leaves other errors to the kit (INTERNAL)', () => {
    expect(mapDomainError(new Error('boom'))).toBeUndefined();
  });
});
