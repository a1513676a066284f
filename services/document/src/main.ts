import { EventBus } from '@buergerservice/event-bus';
import { Database } from '@buergerservice/service-kit';
import { createLogger, shutdownTelemetry } from '@buergerservice/telemetry';
import { loadServiceConfig } from './config.js';
import { buildService } from './server.js';
import { loadKeyRing } from './signing-key.js';

const SERVICE = 'document';

async function main(): Promise<void> {
  const logger = createLogger('main');
  const config = loadServiceConfig();
  const keys = loadKeyRing(config, logger);
  // The watchdog replaces a client whose server monitoring hung (see service-kit's README).
  const database = await Database.connect(config.MONGO_URL, { logger, serverSelectionTimeoutMS: 10_000 });
  const { connection } = database;
  const bus = new EventBus({ brokers: config.KAFKA_BROKERS, clientId: SERVICE, source: `/buergerservice/${SERVICE}` });
  const service = buildService({ config, connection, bus, keys, logger });

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
        logger.error({ err: error }, 'error while stopping');
        code = 1;
      }
      await shutdownTelemetry();
      process.exit(code);
    })();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  const port = await service.start();
  logger.info({ port }, 'ready');
}

main().catch((error: unknown) => {
  createLogger('main').fatal({ err: error }, 'start failed');
  void shutdownTelemetry().finally(() => process.exit(1));
});
