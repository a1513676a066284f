import { KeyedLock } from '@buergerservice/event-bus';
import { Vehicle } from '../domain/vehicle.js';
import { newVehicle } from '../testing/fixtures.js';
import { inMemoryApp } from '../testing/in-memory.js';
import { deregisterVehicle } from './deregister-vehicle.js';

describe('deregistering a vehicle', () => {
  const command = { plate: 'L-AM 2026', reason: 'Stilllegung', correlationId: 'corr-9', requestId: 'req-9' };

  function withVehicle() {
    const deps = inMemoryApp();
    deps.vehicles.seed(Vehicle.register(newVehicle(), new Date('2026-01-01T00:00:00Z')).vehicle);
    return deps;
  }

  it('deregisters and raises VehicleDeregistered keyed by the holder', async () => {
    const deps = withVehicle();
    const state = await deregisterVehicle(deps, command);
    expect(state).toMatchObject({ status: 'deregistered', deregistrationReason: 'Stilllegung' });
    expect(deps.vehicles.outbox).toEqual([
      {
        event: { type: 'vehicle-deregistered', plate: 'L-AM 2026', holderPersonId: 'P0000001' },
        context: { key: 'P0000001', correlationId: 'corr-9', causationId: 'req-9' },
      },
    ]);
  });

  it('is idempotent: a second call returns the vehicle without a new event', async () => {
    const deps = withVehicle();
    await deregisterVehicle(deps, command);
    const first = deps.vehicles.state('L-AM 2026');
    deps.clock.current = new Date('2026-04-01T00:00:00Z');
    expect(await deregisterVehicle(deps, command)).toEqual(first);
    expect(deps.vehicles.outbox).toHaveLength(1);
  });

  it('names the plate when there is no such vehicle', async () => {
    await expect(deregisterVehicle(inMemoryApp(), command)).rejects.toMatchObject({
      code: 'vehicle-not-found',
      field: 'plate',
    });
  });

  it('keeps the first of two concurrent deregistrations', async () => {
    const deps = withVehicle();
    const [a, b] = await Promise.all([
      deregisterVehicle(deps, command),
      deregisterVehicle(
        { ...deps, vehicleLocks: new KeyedLock() },
        { ...command, reason: 'Export', requestId: 'req-10' },
      ),
    ]);
    expect(a.deregistrationReason).toBe(b.deregistrationReason);
    expect(deps.vehicles.outbox).toHaveLength(1);
  });

  it('does not touch the holder address the event reactions write', async () => {
    const deps = withVehicle();
    await deregisterVehicle(deps, command);
    expect(deps.vehicles.docs.get('L-AM 2026')?.version).toBe(0);
  });
});
