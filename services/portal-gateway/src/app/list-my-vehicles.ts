import type { VehicleSummary } from '../domain/authorities.js';
import type { CallOptions, VehicleAuthority } from './ports.js';

/** The vehicles the citizen holds, to offer them in the form. */
export async function listMyVehicles(
  deps: { readonly vehicles: VehicleAuthority },
  query: { readonly personId: string },
  options: CallOptions = {},
): Promise<VehicleSummary[]> {
  const vehicles = await deps.vehicles.listVehiclesByHolder(query.personId, options);
  return vehicles.filter((v) => v.status !== 'deregistered');
}
