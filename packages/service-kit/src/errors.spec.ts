import { Metadata, status } from '@grpc/grpc-js';
import { memoryLogger } from '../test/support/memory-logger';
import {
  ConflictError,
  errorToStatus,
  FIELD_VIOLATIONS_KEY,
  INTERNAL_MESSAGE,
  NotFoundError,
  PermissionDeniedError,
  PreconditionError,
  type RpcError,
  readFieldViolations,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
} from './errors';
import { BAD_REQUEST_TYPE_URL, decodeBadRequest, decodeRpcStatus, STATUS_DETAILS_KEY } from './status-details';

const rpc = '/buergerservice.document.v1.DocumentService/GetDocument';

class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly kind: 'not-found' | 'revoked',
    message: string,
  ) {
    super(message);
  }
}

describe('errorToStatus', () => {
  it.each<[RpcError, status]>([
    [new NotFoundError('document d-1 not found'), status.NOT_FOUND],
    [new PreconditionError('revocation window closed'), status.FAILED_PRECONDITION],
    [new ConflictError('idempotency key reused'), status.ALREADY_EXISTS],
    [new PermissionDeniedError('not allowed'), status.PERMISSION_DENIED],
    [new UnauthenticatedError('no identity'), status.UNAUTHENTICATED],
    [new UnavailableError('store down'), status.UNAVAILABLE],
  ])('maps %s to its code and keeps its message', (error, code) => {
    const { logger } = memoryLogger();
    const result = errorToStatus(error, { logger, rpc });
    expect(result.code).toBe(code);
    expect(result.details).toBe(error.message);
  });

  it('maps a ValidationError to INVALID_ARGUMENT with a google.rpc.BadRequest in grpc-status-details-bin', () => {
    const { logger } = memoryLogger();
    const violations = [
      { field: 'person_id', description: 'is required' },
      { field: 'new_address.postal_code', description: 'must be five digits' },
    ];
    const result = errorToStatus(new ValidationError(violations), { logger, rpc });

    expect(result.code).toBe(status.INVALID_ARGUMENT);
    expect(result.details).toBe(
      'invalid request: person_id: is required; new_address.postal_code: must be five digits',
    );
    const [bytes] = result.metadata.get(STATUS_DETAILS_KEY);
    expect(bytes).toBeInstanceOf(Buffer);
    const rpcStatus = decodeRpcStatus(bytes as Buffer);
    expect(rpcStatus.code).toBe(status.INVALID_ARGUMENT);
    expect(rpcStatus.message).toBe(result.details);
    expect(rpcStatus.details).toHaveLength(1);
    expect(rpcStatus.details[0]?.typeUrl).toBe(BAD_REQUEST_TYPE_URL);
    expect(decodeBadRequest(rpcStatus.details[0]?.value ?? new Uint8Array())).toEqual(violations);
    expect(JSON.parse(String(result.metadata.get(FIELD_VIOLATIONS_KEY)[0]))).toEqual(violations);
  });

  it('answers INTERNAL with a generic message for an unexpected error and logs the cause', () => {
    const { logger, lines } = memoryLogger();
    const result = errorToStatus(new Error('connection to mongodb://secret-host refused'), { logger, rpc });

    expect(result.code).toBe(status.INTERNAL);
    expect(result.details).toBe(INTERNAL_MESSAGE);
    expect(result.metadata.getMap()).toEqual({});
    const logged = lines().find((l) => l.msg === 'rpc failed with an unexpected error');
    expect(logged?.rpc).toBe(rpc);
    expect(JSON.stringify(logged?.err)).toContain('mongodb://secret-host refused');
  });

  it('uses the service mapper for its domain errors and keeps the cause', () => {
    const { logger, lines } = memoryLogger();
    const mapError = (error: unknown) =>
      error instanceof DomainError && error.kind === 'not-found'
        ? new NotFoundError('person not found', { cause: error })
        : undefined;

    const mapped = errorToStatus(new DomainError('not-found', 'no person p-1'), { logger, rpc, mapError });
    const unmapped = errorToStatus(new DomainError('revoked', 'move m-1 revoked'), { logger, rpc, mapError });

    expect(mapped).toMatchObject({ code: status.NOT_FOUND, details: 'person not found' });
    expect(unmapped).toMatchObject({ code: status.INTERNAL, details: INTERNAL_MESSAGE });
    const rejected = lines().find((l) => l.msg === 'rpc rejected');
    expect(JSON.stringify(rejected?.err)).toContain('no person p-1');
  });

  it('answers INTERNAL when the mapper itself throws', () => {
    const { logger, lines } = memoryLogger();
    const mapError = () => {
      throw new TypeError('mapper bug');
    };
    expect(errorToStatus(new Error('x'), { logger, rpc, mapError }).code).toBe(status.INTERNAL);
    expect(lines().some((l) => l.msg === 'error mapper failed')).toBe(true);
  });
});

describe('readFieldViolations', () => {
  const violations = [{ field: 'new_address.street', description: 'unbekannte Straße «Hauptstraße»' }];

  it('decodes the standard trailer, non-ASCII included', () => {
    const { logger } = memoryLogger();
    const { metadata } = errorToStatus(new ValidationError(violations), { logger, rpc });
    expect(readFieldViolations({ metadata })).toEqual(violations);
  });

  it('falls back to the readable x-field-violations entry, which stays ASCII', () => {
    const { logger } = memoryLogger();
    const { metadata } = errorToStatus(new ValidationError(violations), { logger, rpc });
    const readable = metadata.get(FIELD_VIOLATIONS_KEY)[0];
    expect(readable).toMatch(/^[\x20-\x7e]+$/);
    const onlyReadable = new Metadata();
    onlyReadable.set(FIELD_VIOLATIONS_KEY, String(readable));
    expect(readFieldViolations({ metadata: onlyReadable })).toEqual(violations);
  });

  it('is empty for an error without violations', () => {
    expect(readFieldViolations({ metadata: new Metadata() })).toEqual([]);
    expect(readFieldViolations({})).toEqual([]);
  });
});
