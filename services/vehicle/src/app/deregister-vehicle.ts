import { DomainError } from '../domain/errors.js';
import type { VehicleState } from '../domain/vehicle.js';
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
 * A vehicle already deregistered is returned as it is, without a new event;
 * of two concurrent deregistrations the first recorded stands.
 */
export async function deregisterVehicle(
  deps: VehicleAppDeps,
  command: DeregisterVehicleCommand,
): Promise<VehicleState> {
  return deps.vehicleLocks.run(command.plate, async () => {
    const stored = await deps.vehicles.findByPlate(command.plate);
    if (!stored) throw new DomainError('vehicle-not-found', 'no vehicle in the register has this plate', 'plate');
    const { vehicle } = stored;
    const event = vehicle.deregister(command.reason, deps.clock.now());
    if (!event) return vehicle.state;
    const outcome = await deps.vehicles.recordDeregistration(vehicle, [event], {
      key: vehicle.state.holderPersonId,
      correlationId: command.correlationId,
      causationId: command.requestId,
    });
    if (outcome === 'saved') return vehicle.state;
    const winner = await deps.vehicles.findByPlate(command.plate);
    return (winner ?? stored).vehicle.state;
  });
}
