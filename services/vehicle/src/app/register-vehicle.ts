import { createHash } from 'node:crypto';
import { DomainError } from '../domain/errors.js';
import { type NewVehicle, Vehicle, type VehicleState } from '../domain/vehicle.js';
import type { VehicleAppDeps } from './ports.js';

export interface RegisterVehicleCommand {
  readonly idempotencyKey: string;
  /** Already validated and normalised at the edge (plate, VIN, address). */
  readonly vehicle: NewVehicle;
  /** Correlation id of the caller's request, for the VehicleRegistered event. */
  readonly correlationId: string;
}

/** A stable hash of the request's content (keys sorted), to tell a repetition from a reused key. */
export function fingerprint(vehicle: NewVehicle): string {
  const canonical = JSON.stringify(vehicle, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Registers a vehicle (Zulassung) and raises VehicleRegistered. Idempotent by
 * the request's key: the same key with the same content returns the vehicle
 * registered the first time; with other content it is refused.
 */
export async function registerVehicle(deps: VehicleAppDeps, command: RegisterVehicleCommand): Promise<VehicleState> {
  const { vehicles, clock } = deps;
  const request = { idempotencyKey: command.idempotencyKey, fingerprint: fingerprint(command.vehicle) };
  const repeated = await vehicles.findByRegistrationRequest(request.idempotencyKey);
  if (repeated) return sameRequestOrRefuse(repeated.fingerprint, request.fingerprint, repeated.vehicle.state);

  const { vehicle, event } = Vehicle.register(command.vehicle, clock.now());
  const outcome = await vehicles.insert(vehicle, request, [event], {
    key: command.vehicle.holderPersonId,
    correlationId: command.correlationId,
    causationId: command.idempotencyKey,
  });
  if (outcome === 'inserted') return vehicle.state;

  // A concurrent repetition of this request may have won the race.
  const winner = await vehicles.findByRegistrationRequest(request.idempotencyKey);
  if (winner) return sameRequestOrRefuse(winner.fingerprint, request.fingerprint, winner.vehicle.state);
  if (outcome === 'plate-taken') {
    throw new DomainError('plate-taken', 'a vehicle with this plate is already in the register', 'plate');
  }
  throw new DomainError('vin-taken', 'a vehicle with this identification number is already in the register', 'vin');
}

function sameRequestOrRefuse(stored: string, incoming: string, state: VehicleState): VehicleState {
  if (stored === incoming) return state;
  throw new DomainError(
    'idempotency-key-reused',
    'the idempotency key was used for a different registration',
    'idempotency_key',
  );
}
