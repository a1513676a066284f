import { Vehicle } from '../domain/vehicle.js';
import { newVehicle } from '../testing/fixtures.js';
import { inMemoryApp } from '../testing/in-memory.js';
import { getVehicle } from './get-vehicle.js';
import { listVehiclesByHolder } from './list-vehicles-by-holder.js';

describe('reading the register', () => {
  const deps = inMemoryApp();
  const T0 = new Date('2026-01-01T00:00:00Z');
  deps.vehicles.seed(Vehicle.register(newVehicle({ plate: 'L-ZZ 9', vin: 'WVWZZZ1KZ8W000009' }), T0).vehicle);
  deps.vehicles.seed(Vehicle.register(newVehicle({ plate: 'L-AA 1', vin: 'WVWZZZ1KZ8W000001' }), T0).vehicle);
  deps.vehicles.seed(
    Vehicle.register(newVehicle({ plate: 'L-BB 2', vin: 'WVWZZZ1KZ8W000002', holderPersonId: 'P0000004' }), T0).vehicle,
  );

  it('finds a vehicle by plate or by VIN', async () => {
    expect((await getVehicle(deps, { plate: 'L-ZZ 9' })).vin).toBe('WVWZZZ1KZ8W000009');
    expect((await getVehicle(deps, { vin: 'WVWZZZ1KZ8W000001' })).plate).toBe('L-AA 1');
  });

  it('says which lookup found nothing', async () => {
    await expect(getVehicle(deps, { plate: 'L-XX 1' })).rejects.toMatchObject({
      code: 'vehicle-not-found',
      field: 'plate',
    });
    await expect(getVehicle(deps, { vin: 'WVWZZZ1KZ8W000404' })).rejects.toMatchObject({
      code: 'vehicle-not-found',
      field: 'vin',
    });
  });

  it('lists a holder’s vehicles ordered by plate, and nothing for someone without one', async () => {
    expect((await listVehiclesByHolder(deps, 'P0000001')).map((v) => v.plate)).toEqual(['L-AA 1', 'L-ZZ 9']);
    expect(await listVehiclesByHolder(deps, 'P0000099')).toEqual([]);
  });
});
