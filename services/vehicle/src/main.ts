import { EventBus } from '@buergerservice/event-bus';
import { Database } from '@buergerservice/service-kit';
import { createLogger, shutdownTelemetry } from '@buergerservice/telemetry';
import { loadServiceConfig } from './config.js';
import { buildService, EVENT_SOURCE } from './server.js';

// Wiring only. Telemetry is preloaded (`--require @buergerservice/telemetry/register`).
const logger = createLogger('vehicle');

async function main(): Promise<void> {
  const config = loadServiceConfig();
  // The watchdog replaces a client whose server monitoring hung (see service-kit's README).
  const database = await Database.connect(config.MONGO_URL, { logger, serverSelectionTimeoutMS: 30_000 });
  const { connection } = database;
  const bus = new EventBus({ brokers: config.KAFKA_BROKERS, clientId: 'vehicle', source: EVENT_SOURCE, logger });
  const service = buildService({ config, connection, bus, logger });
  const port = await service.start();
  logger.info({ port }, 'ready');

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    void (async () => {
      await service.stop();
      await bus.disconnect();
      await database.close();
      logger.info('stopped');
      await shutdownTelemetry();
    })().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch(async (error: unknown) => {
  logger.fatal({ err: error }, 'vehicle service failed to start');
  await shutdownTelemetry().catch(() => undefined);
  process.exit(1);
});
