import { VehicleEvents, vehicle } from '@buergerservice/contracts';
import { call, isServiceError, readFieldViolations } from '@buergerservice/service-kit';
import { status } from '@grpc/grpc-js';
import { decoded, population, type RunningService, startService } from './support.js';

// The gRPC API on a real grpc-js server (127.0.0.1, port 0) with FerretDB and
// Kafka behind it: validation with field violations, per-client
// authorization and field minimisation, idempotent registration, events.

const mehmet = population.persons.find((p) => p.personId === 'P0000004');
if (!mehmet) throw new Error('the demo population lacks P0000004');
const home = mehmet.address;

function request(overrides: Partial<vehicle.RegisterVehicleRequest> = {}): vehicle.RegisterVehicleRequest {
  return vehicle.RegisterVehicleRequest.fromPartial({
    idempotencyKey: 'dealer-order-1',
    plate: 'L-BS 2026E',
    vin: 'WBA11AA0X0N000001',
    make: 'BMW',
    model: 'i3',
    registrationCertificateNumber: 'AB7654321',
    holderPersonId: 'P0000004',
    holderAddress: home,
    registrationDistrict: 'L',
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isServiceError(error)) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

describe('gRPC API', () => {
  let svc: RunningService;
  let dealer: vehicle.VehicleServiceClient;
  let office: vehicle.VehicleServiceClient;
  let tax: vehicle.VehicleServiceClient;
  let portal: vehicle.VehicleServiceClient;

  beforeAll(async () => {
    svc = await startService('vehicle-grpc');
    dealer = svc.client('dealer');
    office = svc.client('vehicle-office');
    tax = svc.client('tax-office');
    portal = svc.client('portal-gateway');
  });
  afterAll(async () => {
    await svc?.stop();
  });

  it('answers INVALID_ARGUMENT with a field violation for every bad field', async () => {
    const error = await failure(
      call(dealer, 'registerVehicle', {
        ...request(),
        idempotencyKey: '',
        plate: 'LEIPZIG-1',
        vin: 'WBA11AA0X0N00000I',
        holderPersonId: '',
        holderAddress: { ...home, postalCode: '41', countryCode: 'FR' },
      }),
    );
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(readFieldViolations(error).map((v) => v.field)).toEqual([
      'idempotency_key',
      'plate',
      'vin',
      'holder_person_id',
      'holder_address.postal_code',
      'holder_address.country_code',
    ]);
    expect(readFieldViolations(error)[1]?.description).toMatch(/German licence plate/);

    const lookup = await failure(call(office, 'getVehicle', {}));
    expect(lookup.code).toBe(status.INVALID_ARGUMENT);
    expect(readFieldViolations(lookup)).toEqual([{ field: 'plate', description: 'plate or vin is required' }]);

    const deregister = await failure(call(office, 'deregisterVehicle', { plate: 'L-A 0', reason: '' }));
    expect(readFieldViolations(deregister).map((v) => v.field)).toEqual(['plate', 'reason']);
  });

  it('registers once per idempotency key and publishes VehicleRegistered keyed by the holder', async () => {
    const first = await call(dealer, 'registerVehicle', request());
    expect(first.vehicle).toMatchObject({
      plate: 'L-BS 2026E',
      status: vehicle.VehicleStatus.VEHICLE_STATUS_REGISTERED,
      registrationDistrict: 'L',
      holderAddress: home,
    });
    const again = await call(dealer, 'registerVehicle', request(), { idempotent: true });
    expect(again.vehicle).toEqual(first.vehicle);

    const reused = await failure(call(dealer, 'registerVehicle', request({ model: 'i3s' })));
    expect(reused.code).toBe(status.ALREADY_EXISTS);
    const samePlate = await failure(
      call(dealer, 'registerVehicle', request({ idempotencyKey: 'dealer-order-2', vin: 'WBA11AA0X0N000002' })),
    );
    expect(samePlate.code).toBe(status.ALREADY_EXISTS);
    expect(samePlate.details).toMatch(/plate/);

    const [registered] = await svc.events.waitFor(
      (m) => m.headers.ce_type === VehicleEvents.VehicleRegistered.typeName,
    );
    expect(registered?.key).toBe('P0000004');
    expect(registered?.headers.ce_causationid).toBe('dealer-order-1');
    expect(decoded(svc.events, VehicleEvents.VehicleRegistered)).toHaveLength(1);
    expect(decoded(svc.events, VehicleEvents.VehicleRegistered)[0]?.payload).toEqual({
      plate: 'L-BS 2026E',
      holderPersonId: 'P0000004',
      registrationDistrict: 'L',
    });
  });

  it('finds vehicles by plate (as typed) or VIN and lists them by holder', async () => {
    const byPlate = await call(office, 'getVehicle', { plate: 'l-bs 2026e' });
    expect(byPlate.vehicle?.vin).toBe('WBA11AA0X0N000001');
    const byVin = await call(portal, 'getVehicle', { vin: 'wba11aa0x0n000001' });
    expect(byVin.vehicle?.plate).toBe('L-BS 2026E');
    const list = await call(portal, 'listVehiclesByHolder', { holderPersonId: 'P0000004' });
    expect(list.vehicles.map((v) => v.plate)).toEqual(['L-BS 2026E']);
    expect((await call(portal, 'listVehiclesByHolder', { holderPersonId: 'P0000099' })).vehicles).toEqual([]);
    const missing = await failure(call(office, 'getVehicle', { plate: 'L-XX 1' }));
    expect(missing.code).toBe(status.NOT_FOUND);
  });

  it('allows each client only its RPCs and fields', async () => {
    for (const [client, method] of [
      [tax, 'registerVehicle'],
      [portal, 'deregisterVehicle'],
      [dealer, 'getVehicle'],
    ] as const) {
      const denied = await failure(
        method === 'registerVehicle'
          ? call(client, method, request({ idempotencyKey: 'x' }))
          : method === 'deregisterVehicle'
            ? call(client, method, { plate: 'L-BS 2026E', reason: 'x' })
            : call(client, method, { plate: 'L-BS 2026E' }),
      );
      expect(denied.code).toBe(status.PERMISSION_DENIED);
    }
    const stranger = await failure(call(svc.client('jobcenter'), 'getVehicle', { plate: 'L-BS 2026E' }));
    expect(stranger.code).toBe(status.PERMISSION_DENIED);

    const forTax = await call(tax, 'getVehicle', { plate: 'L-BS 2026E' });
    expect(forTax.vehicle).toMatchObject({ plate: 'L-BS 2026E', holderPersonId: 'P0000004', holderAddress: home });
    expect(forTax.vehicle?.registrationCertificateNumber).toBe('');
    const listed = await call(tax, 'listVehiclesByHolder', { holderPersonId: 'P0000004' });
    expect(listed.vehicles[0]?.registrationCertificateNumber).toBe('');
    expect(listed.vehicles[0]?.vin).toBe('WBA11AA0X0N000001');
  });

  it('deregisters once and publishes VehicleDeregistered', async () => {
    const first = await call(dealer, 'deregisterVehicle', { plate: 'L-BS 2026E', reason: 'Export' });
    expect(first.vehicle?.status).toBe(vehicle.VehicleStatus.VEHICLE_STATUS_DEREGISTERED);
    const again = await call(dealer, 'deregisterVehicle', { plate: 'L-BS 2026E', reason: 'Export' });
    expect(again.vehicle).toEqual(first.vehicle);
    const [event] = await svc.events.waitFor((m) => m.headers.ce_type === VehicleEvents.VehicleDeregistered.typeName);
    expect(event?.key).toBe('P0000004');
    expect(decoded(svc.events, VehicleEvents.VehicleDeregistered)).toHaveLength(1);
    const unknown = await failure(call(dealer, 'deregisterVehicle', { plate: 'L-XX 1', reason: 'Export' }));
    expect(unknown.code).toBe(status.NOT_FOUND);
  });
});
