import { vehicle } from '@buergerservice/contracts';
import { ValidationError } from '@buergerservice/service-kit';
import { HOME } from '../testing/fixtures.js';
import {
  validateDeregisterVehicle,
  validateGetVehicle,
  validateListVehiclesByHolder,
  validateRegisterVehicle,
} from './validation.js';

function violations(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.violations.map((v) => v.field);
    throw error;
  }
  throw new Error('no ValidationError');
}

const valid = vehicle.RegisterVehicleRequest.fromPartial({
  idempotencyKey: 'req-1',
  plate: 'l-am 2026',
  vin: 'wvwzzz1kz8w012345',
  make: ' Volkswagen ',
  model: 'Golf',
  registrationCertificateNumber: 'ab0992026',
  holderPersonId: 'P0000001',
  holderAddress: HOME,
  registrationDistrict: '',
});

describe('request validation', () => {
  it('normalises a valid registration and fills in the city district', () => {
    expect(validateRegisterVehicle(valid, 'L')).toEqual({
      idempotencyKey: 'req-1',
      vehicle: {
        plate: 'L-AM 2026',
        vin: 'WVWZZZ1KZ8W012345',
        make: 'Volkswagen',
        model: 'Golf',
        certificateNumber: 'AB0992026',
        holderPersonId: 'P0000001',
        holderAddress: HOME,
        district: 'L',
      },
    });
  });

  it('names every bad field of a registration, with nested address paths', () => {
    const bad = vehicle.RegisterVehicleRequest.fromPartial({
      plate: 'L-ABC 1',
      vin: 'WVWZZZ1KZ8W01234O',
      make: '',
      model: '',
      registrationCertificateNumber: '12',
      holderPersonId: 'P 1',
      holderAddress: { ...HOME, postalCode: '123', countryCode: 'AT' },
      registrationDistrict: 'leipzig',
    });
    expect(violations(() => validateRegisterVehicle(bad, 'L'))).toEqual([
      'idempotency_key',
      'plate',
      'vin',
      'make',
      'model',
      'registration_certificate_number',
      'holder_person_id',
      'holder_address.postal_code',
      'holder_address.country_code',
      'registration_district',
    ]);
  });

  it('requires the holder address', () => {
    const { holderAddress: _omitted, ...rest } = valid;
    expect(violations(() => validateRegisterVehicle({ ...rest }, 'L'))).toEqual(['holder_address']);
  });

  it('looks a vehicle up by plate or VIN, one of them required', () => {
    expect(validateGetVehicle({ plate: 'l-am 2026' })).toEqual({ plate: 'L-AM 2026' });
    expect(validateGetVehicle({ vin: 'WVWZZZ1KZ8W012345' })).toEqual({ vin: 'WVWZZZ1KZ8W012345' });
    expect(violations(() => validateGetVehicle({}))).toEqual(['plate']);
    expect(violations(() => validateGetVehicle({ plate: 'nope' }))).toEqual(['plate']);
    expect(violations(() => validateGetVehicle({ vin: 'short' }))).toEqual(['vin']);
  });

  it('checks the holder id of a listing', () => {
    expect(validateListVehiclesByHolder({ holderPersonId: 'P0000001' })).toBe('P0000001');
    expect(violations(() => validateListVehiclesByHolder({ holderPersonId: '' }))).toEqual(['holder_person_id']);
  });

  it('needs plate and reason to deregister', () => {
    expect(validateDeregisterVehicle({ plate: 'L-AM 2026', reason: ' Stilllegung ' })).toEqual({
      plate: 'L-AM 2026',
      reason: 'Stilllegung',
    });
    expect(violations(() => validateDeregisterVehicle({ plate: '', reason: ' ' }))).toEqual(['plate', 'reason']);
    expect(violations(() => validateDeregisterVehicle({ plate: 'L-A 1', reason: 'x'.repeat(201) }))).toEqual([
      'reason',
    ]);
  });
});
