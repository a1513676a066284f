import { status } from '@grpc/grpc-js';
import { DomainError } from '../domain/errors.js';
import { mapDomainError } from './errors.js';

describe('domain errors at the gRPC edge', () => {
  it.each([
    ['vehicle-not-found', status.NOT_FOUND],
    ['plate-taken', status.ALREADY_EXISTS],
    ['vin-taken', status.ALREADY_EXISTS],
    ['idempotency-key-reused', status.ALREADY_EXISTS],
    ['invalid-plate', status.INVALID_ARGUMENT],
    ['concurrent-modification', status.UNAVAILABLE],
  ] as const)('%s -> %s, keeping the cause', (code, expected) => {
    const error = new DomainError(code, 'x', 'plate');
    const mapped = mapDomainError(error);
    expect(mapped?.code).toBe(expected);
    expect(mapped?.cause).toBe(error);
  });

  it('leaves anything else to the kit (INTERNAL)', () => {
    expect(mapDomainError(new Error('boom'))).toBeUndefined();
  });
});
