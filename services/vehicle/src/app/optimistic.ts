import { DomainError } from '../domain/errors.js';
import type { VehicleAppDeps } from './ports.js';

/** Attempts of a read-decide-write cycle before giving up; conflicts need two writers on one vehicle at once. */
export const MAX_WRITE_ATTEMPTS = 5;

/**
 * Runs `attempt` (read, decide, conditional write) until it does not report a
 * conflict. Exhausted attempts throw, so a consumer retries the event later
 * and a gRPC caller gets a retryable status.
 */
export async function retryOnConflict<T>(
  what: string,
  attempt: () => Promise<{ conflict: true } | { conflict: false; value: T }>,
): Promise<T> {
  for (let i = 1; i <= MAX_WRITE_ATTEMPTS; i++) {
    const result = await attempt();
    if (!result.conflict) return result.value;
  }
  throw new DomainError('concurrent-modification', `${what}: the vehicle kept changing; try again`);
}

/**
 * One read-decide-write cycle of a vehicle: under the vehicle's lock, retried
 * on a version conflict (another replica wrote meanwhile).
 */
export function changeVehicle<T>(
  deps: Pick<VehicleAppDeps, 'vehicleLocks'>,
  plate: string,
  what: string,
  attempt: () => Promise<{ conflict: true } | { conflict: false; value: T }>,
): Promise<T> {
  return deps.vehicleLocks.run(plate, () => retryOnConflict(what, attempt));
}
