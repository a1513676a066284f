import { authorize } from '@buergerservice/service-kit';
import { defaultClientPolicy } from './policy.js';

const rpc = (method: string) => `/buergerservice.vehicle.v1.VehicleService/${method}`;

describe('the built-in client policy', () => {
  it('lets the portal gateway and the tax office read, not write', () => {
    for (const client of ['portal-gateway', 'tax-office']) {
      expect(() => authorize(defaultClientPolicy, client, rpc('GetVehicle'))).not.toThrow();
      expect(() => authorize(defaultClientPolicy, client, rpc('ListVehiclesByHolder'))).not.toThrow();
      expect(() => authorize(defaultClientPolicy, client, rpc('RegisterVehicle'))).toThrow(/may not call/);
      expect(() => authorize(defaultClientPolicy, client, rpc('DeregisterVehicle'))).toThrow(/may not call/);
    }
  });

  it('lets dealers register and deregister only', () => {
    expect(() => authorize(defaultClientPolicy, 'dealer', rpc('RegisterVehicle'))).not.toThrow();
    expect(() => authorize(defaultClientPolicy, 'dealer', rpc('DeregisterVehicle'))).not.toThrow();
    expect(() => authorize(defaultClientPolicy, 'dealer', rpc('GetVehicle'))).toThrow(/may not call/);
  });

  it('withholds the certificate number from the tax office', () => {
    const grant = authorize(defaultClientPolicy, 'tax-office', rpc('GetVehicle'));
    expect(grant.allowedFields).toContain('vehicle.holder_address');
    expect(grant.allowedFields).not.toContain('vehicle.registration_certificate_number');
  });

  it('knows no one else', () => {
    expect(() => authorize(defaultClientPolicy, 'jobcenter', rpc('GetVehicle'))).toThrow(/not known/);
  });
});
