import { DomainError } from '../domain/errors.js';
import type { VehicleState } from '../domain/vehicle.js';
import { changeVehicle } from './optimistic.js';
import type { VehicleAppDeps } from './ports.js';

export interface DeregisterVehicleCommand {
  readonly plate: string;
  readonly reason: string;
  readonly correlationId: string;
  /** Id of the request, the event's causation id. */
  readonly requestId: string;
}

/**
 * Deregisters a vehicle (Außerbetriebsetzung) and raises VehicleDeregistered.
 * A vehicle already deregistered is returned as it is, without a new event.
 */
export async function deregisterVehicle(
  deps: VehicleAppDeps,
  command: DeregisterVehicleCommand,
): Promise<VehicleState> {
  return changeVehicle<VehicleState>(deps, command.plate, 'deregister vehicle', async () => {
    const stored = await deps.vehicles.findByPlate(command.plate);
    if (!stored) throw new DomainError('vehicle-not-found', 'no vehicle in the register has this plate', 'plate');
    const { vehicle, version } = stored;
    const event = vehicle.deregister(command.reason, deps.clock.now());
    if (!event) return { conflict: false, value: vehicle.state };
    const outcome = await deps.vehicles.save(vehicle, version, [event], {
      key: vehicle.state.holderPersonId,
      correlationId: command.correlationId,
      causationId: command.requestId,
    });
    return outcome === 'conflict' ? { conflict: true } : { conflict: false, value: vehicle.state };
  });
}
