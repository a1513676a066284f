import path from 'node:path';
import { registration, VehicleEvents, vehicle } from '@buergerservice/contracts';
import { call, createClient } from '@buergerservice/service-kit';
import { databaseUrl, kafkaBrokers, ServiceProcess, TopicRecorder, uniqueName } from '@buergerservice/testing';
import mongoose from 'mongoose';
import { seedVehicles } from '../../src/seed.js';
import { AddressChanged, addressChanged, RegistrationOffice } from './support.js';

// The built service as a real process (dist/main.js with the telemetry preload,
// as deployed): it reports ready, serves gRPC, reacts to events, and stops
// cleanly on SIGTERM. Needs `npm run build` first.

describe('the vehicle service process', () => {
  const mongoUrl = databaseUrl(uniqueName('vehicle-process'));
  const registrationTopic = uniqueName('registration-events');
  const vehicleTopic = uniqueName('vehicle-events');
  let process_: ServiceProcess;
  let office: RegistrationOffice;
  let events: TopicRecorder;

  beforeAll(async () => {
    const connection = await mongoose.createConnection(mongoUrl, { serverSelectionTimeoutMS: 60_000 }).asPromise();
    await seedVehicles(connection, { persons: 20, vehicles: 5 });
    await connection.close();
    process_ = await new ServiceProcess({
      name: 'vehicle',
      entry: path.join(__dirname, '..', '..', 'dist', 'main.js'),
      nodeArgs: ['--require', '@buergerservice/telemetry/register'],
      env: {
        PORT: '0',
        MONGO_URL: mongoUrl,
        KAFKA_BROKERS: kafkaBrokers().join(','),
        GRPC_INSECURE: 'true',
        CONSUMER_GROUP: uniqueName('vehicle'),
        REGISTRATION_EVENTS_TOPIC: registrationTopic,
        VEHICLE_EVENTS_TOPIC: vehicleTopic,
        OTEL_SERVICE_NAME: 'vehicle',
        TELEMETRY_ENABLED: 'false',
        LOG_LEVEL: 'info',
      },
    }).start();
    office = new RegistrationOffice(registrationTopic);
    events = await TopicRecorder.start(vehicleTopic);
  });
  afterAll(async () => {
    await events?.stop();
    await office?.close();
    await process_?.stop('SIGKILL');
  });

  it('logs ready with its port, serves gRPC and reacts to AddressChanged', async () => {
    const ready = process_.output.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'ready');
    expect(ready?.port).toEqual(expect.any(Number));
    const client = createClient(vehicle.VehicleServiceClient, `127.0.0.1:${String(ready?.port)}`, {
      security: { insecure: true, clientId: 'portal-gateway' },
    });
    try {
      const { vehicles } = await call(client, 'listVehiclesByHolder', { holderPersonId: 'P0000001' });
      expect(vehicles.map((v) => v.plate)).toEqual(['L-AM 2026']);
    } finally {
      client.close();
    }

    await office.publish(
      office.event(
        AddressChanged,
        addressChanged({
          moveId: 'move-P',
          kind: registration.MoveKind.MOVE_KIND_WITHIN_CITY,
          followUps: { vehiclePlates: ['L-AM 2026'], documents: [] },
        }),
        { applicant: 'P0000001', correlationId: 'bundle-P' },
      ),
    );
    const [updated] = await events.waitFor(
      (m) => m.headers.ce_type === VehicleEvents.VehicleHolderAddressUpdated.typeName,
    );
    expect(updated?.headers.ce_correlationid).toBe('bundle-P');
    // Logs carry ids, never addresses or names.
    expect(process_.output.join('\n')).not.toMatch(/Karl-Heine-Straße|Müller/);
  });

  it('stops gracefully on SIGTERM', async () => {
    expect(await process_.stop('SIGTERM')).toBe(0);
    expect(process_.output.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
  });
});
