import { type AuthorizationPolicy, loadAuthorizationPolicy } from '@buergerservice/service-kit';

const VEHICLE_FIELDS_FOR_TAX = [
  'plate',
  'vin',
  'make',
  'model',
  'holder_person_id',
  'holder_address',
  'registration_district',
  'status',
  'registered_at',
  'updated_at',
];

/**
 * Who may call what, when CLIENT_POLICY names no file. Client ids are the
 * CNs of the city CA's certificates.
 *
 * - portal-gateway: reads on behalf of a signed-in citizen; the gateway
 *   itself checks that the citizen holds the vehicle before it asks.
 * - dealer, vehicle-office: register and deregister (i-Kfz dealers and the
 *   office's own counter); the office also reads.
 * - tax-office: reads, without the certificate number (vehicle tax needs
 *   vehicle, holder and address, not the security form's serial number).
 */
export const defaultClientPolicy: AuthorizationPolicy = {
  'portal-gateway': { rpcs: ['GetVehicle', 'ListVehiclesByHolder'] },
  dealer: { rpcs: ['RegisterVehicle', 'DeregisterVehicle'] },
  'vehicle-office': { rpcs: ['RegisterVehicle', 'DeregisterVehicle', 'GetVehicle', 'ListVehiclesByHolder'] },
  'tax-office': {
    rpcs: ['GetVehicle', 'ListVehiclesByHolder'],
    fields: {
      GetVehicle: VEHICLE_FIELDS_FOR_TAX.map((f) => `vehicle.${f}`),
      ListVehiclesByHolder: VEHICLE_FIELDS_FOR_TAX.map((f) => `vehicles.${f}`),
    },
  },
};

/** The policy file named by CLIENT_POLICY, or the built-in default. */
export function clientPolicy(file: string | undefined): AuthorizationPolicy {
  return file ? loadAuthorizationPolicy(file) : defaultClientPolicy;
}
