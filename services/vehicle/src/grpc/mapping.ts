import { vehicle } from '@buergerservice/contracts';
import { addressToContract } from '../contract-address.js';
import type { VehicleState } from '../domain/vehicle.js';

export function vehicleToContract(state: VehicleState): vehicle.Vehicle {
  return {
    plate: state.plate,
    vin: state.vin,
    make: state.make,
    model: state.model,
    registrationCertificateNumber: state.certificateNumber,
    holderPersonId: state.holderPersonId,
    holderAddress: addressToContract(state.holderAddress),
    registrationDistrict: state.district,
    status:
      state.status === 'registered'
        ? vehicle.VehicleStatus.VEHICLE_STATUS_REGISTERED
        : vehicle.VehicleStatus.VEHICLE_STATUS_DEREGISTERED,
    registeredAt: state.registeredAt,
    updatedAt: state.updatedAt,
  };
}
