import path from 'node:path';
import { appointment } from '@buergerservice/contracts';
import { call, createClient } from '@buergerservice/service-kit';
import { databaseUrl, kafkaBrokers, ServiceProcess, uniqueName } from '@buergerservice/testing';
import mongoose from 'mongoose';
import { seedAppointmentData } from '../../src/seed.js';
import { memoryLogger } from './support.js';

/** The built service as a real process, as deployed: it logs "ready", serves, and stops gracefully on SIGTERM. */
describe('the appointment process', () => {
  it('starts, serves and stops gracefully', async () => {
    const mongoUrl = databaseUrl(uniqueName('appt-process'));
    const connection = await mongoose.createConnection(mongoUrl).asPromise();
    await seedAppointmentData(connection);
    const service = new ServiceProcess({
      name: 'appointment',
      entry: path.join(__dirname, '../../dist/main.js'),
      nodeArgs: ['--require', '@buergerservice/telemetry/register'],
      env: {
        OTEL_SERVICE_NAME: 'appointment',
        MONGO_URL: mongoUrl,
        KAFKA_BROKERS: kafkaBrokers().join(','),
        GRPC_INSECURE: 'true',
        PORT: '0',
        APPOINTMENT_EVENTS_TOPIC: uniqueName('appt-process-appointment'),
        REGISTRATION_EVENTS_TOPIC: uniqueName('appt-process-registration'),
        CONSUMER_GROUP: uniqueName('appt-process-group'),
      },
    });
    try {
      await service.start();
      const ready = service.output
        .map((line) => JSON.parse(line) as { msg?: string; port?: number })
        .find((l) => l.msg === 'ready');
      expect(ready?.port).toBeGreaterThan(0);
      const client = createClient(appointment.AppointmentServiceClient, `127.0.0.1:${ready?.port}`, {
        security: { insecure: true, clientId: 'portal-gateway' },
        logger: memoryLogger().logger,
      });
      const { services } = await call(client, 'listServices', {});
      expect(services.map((s) => s.serviceId)).toContain('personalausweis-adressaenderung');
      client.close();

      expect(await service.stop('SIGTERM')).toBe(0);
      expect(service.output.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
    } finally {
      await service.stop('SIGKILL');
      await connection.dropDatabase();
      await connection.close();
    }
  });
});
