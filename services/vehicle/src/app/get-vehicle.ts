import { DomainError } from '../domain/errors.js';
import type { VehicleState } from '../domain/vehicle.js';
import type { VehicleAppDeps } from './ports.js';

export type VehicleLookup = { readonly plate: string } | { readonly vin: string };

/** One vehicle by its plate or its identification number (both normalised at the edge). */
export async function getVehicle(deps: VehicleAppDeps, lookup: VehicleLookup): Promise<VehicleState> {
  const stored =
    'plate' in lookup ? await deps.vehicles.findByPlate(lookup.plate) : await deps.vehicles.findByVin(lookup.vin);
  if (!stored) {
    throw new DomainError(
      'vehicle-not-found',
      'no vehicle in the register matches',
      'plate' in lookup ? 'plate' : 'vin',
    );
  }
  return stored.vehicle.state;
}
