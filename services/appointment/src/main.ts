import { EventBus } from '@buergerservice/event-bus';
import { Database } from '@buergerservice/service-kit';
import { createLogger, shutdownTelemetry } from '@buergerservice/telemetry';
import { loadServiceConfig } from './config.js';
import { buildService } from './server.js';

/** Wiring only: configuration, database, bus, the service; graceful stop on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const logger = createLogger('main');
  const config = loadServiceConfig();
  // The watchdog replaces a client whose server monitoring hung (see service-kit's README).
  const database = await Database.connect(config.MONGO_URL, { logger, serverSelectionTimeoutMS: 30_000 });
  const { connection } = database;
  const bus = new EventBus({
    brokers: config.KAFKA_BROKERS,
    clientId: 'appointment',
    source: '/buergerservice/appointment',
    logger: createLogger('event-bus'),
  });
  const service = buildService({ config, connection, bus, logger: createLogger('appointment') });
  const { port } = await service.start();
  logger.info({ port }, 'ready');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    try {
      await service.stop();
      await bus.disconnect();
      await database.close();
      logger.info('stopped');
      await shutdownTelemetry();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  createLogger('main').fatal({ err: error }, 'appointment service failed to start');
  process.exitCode = 1;
  // The logger writes asynchronously; leave it a moment before open handles (Kafka, Mongo) are torn down.
  setTimeout(() => process.exit(1), 200).unref();
});
