import { EventBus } from '@buergerservice/event-bus';
import { Database } from '@buergerservice/service-kit';
import { createLogger, shutdownTelemetry } from '@buergerservice/telemetry';
import { loadServiceConfig } from './config.js';
import { buildService } from './server.js';

/** Wiring only: config, database, bus, service; graceful stop on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadServiceConfig();
  const logger = createLogger('main');
  // The watchdog replaces a client whose server monitoring hung (see service-kit's README).
  const database = await Database.connect(config.MONGO_URL, { logger, serverSelectionTimeoutMS: 30_000 });
  const { connection } = database;
  const bus = new EventBus({
    brokers: config.KAFKA_BROKERS,
    clientId: 'portal-gateway',
    source: '/buergerservice/portal-gateway',
  });
  const service = await buildService({ config, connection, bus });
  const port = await service.start();
  logger.info({ port }, 'ready');

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    try {
      await service.stop();
      await database.close();
      await shutdownTelemetry();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'stop failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  createLogger('main').fatal({ err: error }, 'start failed');
  process.exitCode = 1;
  // Let the log line flush, then leave even if handles are open.
  setTimeout(() => process.exit(1), 100).unref();
});
