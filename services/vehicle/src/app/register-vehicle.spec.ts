import { DomainError } from '../domain/errors.js';
import { newVehicle } from '../testing/fixtures.js';
import { inMemoryApp } from '../testing/in-memory.js';
import { fingerprint, registerVehicle } from './register-vehicle.js';

describe('registering a vehicle', () => {
  const command = { idempotencyKey: 'req-1', vehicle: newVehicle(), correlationId: 'corr-1' };

  it('registers and raises VehicleRegistered keyed by the holder', async () => {
    const deps = inMemoryApp();
    const state = await registerVehicle(deps, command);
    expect(state).toMatchObject({ plate: 'L-AM 2026', status: 'registered', registeredAt: deps.clock.current });
    expect(deps.vehicles.outbox).toEqual([
      {
        event: { type: 'vehicle-registered', plate: 'L-AM 2026', holderPersonId: 'P0000001', district: 'L' },
        context: { key: 'P0000001', correlationId: 'corr-1', causationId: 'req-1' },
      },
    ]);
  });

  it('returns the same vehicle for a repeated request, without a second event', async () => {
    const deps = inMemoryApp();
    const first = await registerVehicle(deps, command);
    deps.clock.current = new Date('2026-03-05T00:00:00Z');
    const second = await registerVehicle(deps, command);
    expect(second).toEqual(first);
    expect(deps.vehicles.outbox).toHaveLength(1);
  });

  it('refuses a reused key with other content, naming the field', async () => {
    const deps = inMemoryApp();
    await registerVehicle(deps, command);
    const other = { ...command, vehicle: newVehicle({ plate: 'L-AM 2027', vin: 'WVWZZZ1KZ8W012346' }) };
    await expect(registerVehicle(deps, other)).rejects.toMatchObject({
      code: 'idempotency-key-reused',
      field: 'idempotency_key',
    });
  });

  it('refuses a plate or VIN already in the register', async () => {
    const deps = inMemoryApp();
    await registerVehicle(deps, command);
    const samePlate = { ...command, idempotencyKey: 'req-2', vehicle: newVehicle({ vin: 'WVWZZZ1KZ8W099999' }) };
    await expect(registerVehicle(deps, samePlate)).rejects.toEqual(expect.any(DomainError));
    await expect(registerVehicle(deps, samePlate)).rejects.toMatchObject({ code: 'plate-taken', field: 'plate' });
    const sameVin = { ...command, idempotencyKey: 'req-3', vehicle: newVehicle({ plate: 'L-AM 2027' }) };
    await expect(registerVehicle(deps, sameVin)).rejects.toMatchObject({ code: 'vin-taken', field: 'vin' });
    expect(deps.vehicles.outbox).toHaveLength(1);
  });

  it('fingerprints content, not key order', () => {
    const a = newVehicle();
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
    expect(fingerprint(reordered)).toBe(fingerprint(a));
    expect(fingerprint({ ...a, model: 'Polo' })).not.toBe(fingerprint(a));
  });
});
