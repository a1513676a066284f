import { changeVehicle } from './optimistic.js';
import type { Revocation, VehicleAppDeps } from './ports.js';

/**
 * The compensation step shared by the reaction to AddressChangeRevoked and
 * by the reaction to a late AddressChanged that finds its move revoked
 * meanwhile: every vehicle whose holder address the move changed falls back
 * to what it was before, raising VehicleHolderAddressRestored. Each vehicle
 * is one conditional document write (state + handled event id + outbox).
 *
 * Returns the plates restored now; vehicles restored before are not listed.
 */
export async function restoreMove(deps: VehicleAppDeps, moveId: string, revocation: Revocation): Promise<string[]> {
  const context = {
    key: revocation.applicantId,
    correlationId: revocation.correlationId,
    causationId: revocation.eventId,
  };
  const restored: string[] = [];
  for (const candidate of await deps.vehicles.listWithMoveInForce(moveId)) {
    const plate = candidate.vehicle.plate;
    const done = await changeVehicle<boolean>(deps, plate, 'restore holder address', async () => {
      const stored = await deps.vehicles.findByPlate(plate);
      if (!stored) return { conflict: false, value: false };
      const event = stored.vehicle.revokeMove(moveId, deps.clock.now());
      if (!event) return { conflict: false, value: false };
      const outcome = await deps.vehicles.save(stored.vehicle, stored.version, [event], context, revocation.eventId);
      if (outcome === 'conflict') return { conflict: true };
      return { conflict: false, value: outcome === 'saved' };
    });
    if (done) restored.push(plate);
  }
  return restored;
}
