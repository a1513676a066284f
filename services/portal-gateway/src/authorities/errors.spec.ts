import {
  ConflictError,
  NotFoundError,
  PermissionDeniedError,
  PreconditionError,
  type RpcError,
  statusOf,
  UnavailableError,
  ValidationError,
} from '@buergerservice/service-kit';
import { type ServiceError, status } from '@grpc/grpc-js';
import { AppError } from '../app/errors.js';
import { submitFieldMapping } from './registration.js';
import { pathTokens, prefixMapping, toAppError } from './errors.js';

/** The error a grpc-js client sees when a service-kit server throws `error` (same status and trailers). */
function asReceived(error: RpcError): ServiceError {
  const s = statusOf(error);
  return Object.assign(new Error(`${s.code} ${status[s.code]}: ${s.details}`), {
    code: s.code,
    details: s.details,
    metadata: s.metadata,
  }) as ServiceError;
}

describe('authority errors at the gateway', () => {
  it('names registration field violations by the field of the citizen’s request', () => {
    const received = asReceived(
      new ValidationError([
        { field: 'new_address.postal_code', description: 'postal code does not match the street' },
        { field: 'co_moving_person_ids[1]', description: 'is not in the applicant’s household' },
        { field: 'follow_ups.vehicle_plates[0]', description: 'is not a valid plate' },
        { field: 'follow_ups.appointment.location_id', description: 'unknown location' },
        { field: 'move_in_date', description: 'must not be more than 3 months ahead' },
        { field: 'person_id', description: 'is not registered in Leipzig' },
        { field: 'previous_address.municipality_key', description: 'unknown municipality' },
      ]),
    );
    const mapped = toAppError(received, 'registration', submitFieldMapping);
    expect(mapped).toBeInstanceOf(AppError);
    const error = mapped as AppError;
    expect(error.code).toBe('rejected');
    expect(error.cause).toBe(received);
    expect(error.violations).toEqual([
      { field: '/move/newAddress/postalCode', message: 'postal code does not match the street' },
      { field: '/householdMemberIds/1', message: 'is not in the applicant’s household' },
      { field: '/vehiclePlates/0', message: 'is not a valid plate' },
      { field: '/appointment/locationId', message: 'unknown location' },
      { field: '/move/moveInDate', message: 'must not be more than 3 months ahead' },
      { field: '', message: 'is not registered in Leipzig' },
      { field: '/move/previousAddress/municipalityKey', message: 'unknown municipality' },
    ]);
  });

  it.each([
    [new NotFoundError('move not found'), 'not-found'],
    [new PreconditionError('revocation window closed'), 'precondition-failed'],
    [new ConflictError('idempotency key reused'), 'conflict'],
    [new UnavailableError('database down'), 'unavailable'],
  ] as const)('maps %p to %s keeping the cause', (thrown, code) => {
    const received = asReceived(thrown);
    const mapped = toAppError(received, 'registration') as AppError;
    expect(mapped.code).toBe(code);
    expect(mapped.cause).toBe(received);
  });

  it('keeps a deadline as "unavailable" and a refusal of the gateway itself as an internal failure', () => {
    const deadline = Object.assign(new Error('deadline'), {
      code: status.DEADLINE_EXCEEDED,
      details: '',
      metadata: statusOf(new NotFoundError('x')).metadata,
    });
    expect((toAppError(deadline, 'vehicle') as AppError).code).toBe('unavailable');
    const denied = toAppError(
      asReceived(new PermissionDeniedError('portal-gateway may not call GetPerson')),
      'registration',
    );
    expect(denied).not.toBeInstanceOf(AppError);
    expect((denied as Error).cause).toBeDefined();
  });

  it('passes through what is no gRPC error', () => {
    const plain = new TypeError('bug');
    expect(toAppError(plain, 'document')).toBe(plain);
  });

  it('reads proto paths in snake or camel case', () => {
    expect(pathTokens('follow_ups.vehicle_plates[12]')).toEqual(['follow_ups', 'vehicle_plates', '12']);
    const mapping = prefixMapping({ new_start: '/start' });
    expect(mapping('newStart')).toBe('/start');
    expect(mapping('new_start')).toBe('/start');
    expect(mapping('interpreter_language')).toBe('/interpreterLanguage');
  });
});
