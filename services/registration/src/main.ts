import { EventBus } from '@buergerservice/event-bus';
import { Database } from '@buergerservice/service-kit';
import { createLogger, shutdownTelemetry } from '@buergerservice/telemetry';
import { loadServiceConfig } from './config.js';
import { buildService } from './server.js';

/** Wiring only: configuration, database, Kafka, the service; graceful stop on SIGTERM/SIGINT. */
const logger = createLogger('main');

async function main(): Promise<void> {
  const config = loadServiceConfig();
  // The watchdog replaces a client whose server monitoring hung (see service-kit's README).
  const database = await Database.connect(config.MONGO_URL, { logger, serverSelectionTimeoutMS: 30_000 });
  const { connection } = database;
  const bus = new EventBus({
    brokers: config.KAFKA_BROKERS,
    clientId: 'registration',
    source: '/buergerservice/registration',
  });
  const service = buildService({ config, connection, bus });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      logger.info({ signal }, 'stopping');
      let code = 0;
      try {
        await service.stop();
        await bus.disconnect();
        await database.close();
      } catch (error) {
        logger.error({ err: error }, 'graceful stop failed');
        code = 1;
      }
      await shutdownTelemetry();
      logger.info('stopped');
      process.exit(code);
    })();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  const { port } = await service.start();
  logger.info({ port }, 'ready');
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'registration service failed to start');
  process.exit(1);
});
