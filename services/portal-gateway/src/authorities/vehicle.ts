import { vehicle } from '@buergerservice/contracts';
import { call } from '@buergerservice/service-kit';
import type { CallOptions, VehicleAuthority } from '../app/ports.js';
import type { VehicleSummary } from '../domain/authorities.js';
import { mapped } from './errors.js';

/** The vehicle registration authority over gRPC. */
export class GrpcVehicleAuthority implements VehicleAuthority {
  constructor(private readonly client: vehicle.VehicleServiceClient) {}

  async listVehiclesByHolder(personId: string, options: CallOptions = {}): Promise<VehicleSummary[]> {
    const response = await mapped('vehicle', () =>
      call(
        this.client,
        'listVehiclesByHolder',
        { holderPersonId: personId },
        { idempotent: true, signal: options.signal },
      ),
    );
    return response.vehicles.map((v) => ({
      plate: v.plate,
      make: v.make,
      model: v.model,
      status:
        v.status === vehicle.VehicleStatus.VEHICLE_STATUS_REGISTERED
          ? 'registered'
          : v.status === vehicle.VehicleStatus.VEHICLE_STATUS_DEREGISTERED
            ? 'deregistered'
            : 'unspecified',
    }));
  }
}
