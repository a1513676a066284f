import type { VehicleState } from '../domain/vehicle.js';
import type { VehicleAppDeps } from './ports.js';

/** Every vehicle of a holder, registered or deregistered, ordered by plate. */
export async function listVehiclesByHolder(deps: VehicleAppDeps, holderPersonId: string): Promise<VehicleState[]> {
  const stored = await deps.vehicles.listByHolder(holderPersonId);
  return stored.map((s) => s.vehicle.state).sort((a, b) => (a.plate < b.plate ? -1 : a.plate > b.plate ? 1 : 0));
}
