import { EventBus } from '@buergerservice/event-bus';
import { createLogger } from '@buergerservice/telemetry';
import mongoose from 'mongoose';
import { loadServiceConfig } from './config.js';
import { TRACKED_TOPICS } from './events/subscriptions.js';
import { prepareTrackerRebuild } from './store/rebuild.js';

/**
 * Rebuilds the request tracker from the topics:
 *
 *   # stop every gateway replica, then, with the gateway's environment:
 *   node dist/rebuild-tracker.js --yes [--since 2026-05-01T00:00:00Z]
 *   # start the gateway again: it replays every topic from the beginning (or from --since)
 *
 * Without --yes it only says what it would do.
 */
async function main(argv: readonly string[]): Promise<void> {
  const config = loadServiceConfig();
  const logger = createLogger('rebuild-tracker');
  if (!argv.includes('--yes')) {
    process.stdout.write(
      `Would remove the tracker's event records (submissions stay) in ${config.MONGO_URL.replace(/\/\/[^@/]*@/, '//***@')} and reset consumer group ` +
        `${config.KAFKA_CONSUMER_GROUP} to the earliest offsets of ${TRACKED_TOPICS.join(', ')}.\n` +
        'Stop every gateway replica first, then run again with --yes.\n',
    );
    return;
  }
  const sinceIndex = argv.indexOf('--since');
  const since = sinceIndex >= 0 ? new Date(argv[sinceIndex + 1] ?? '') : undefined;
  if (since && Number.isNaN(since.getTime())) throw new Error('--since needs an ISO 8601 time');
  const connection = await mongoose
    .createConnection(config.MONGO_URL, { serverSelectionTimeoutMS: 30_000 })
    .asPromise();
  const bus = new EventBus({
    brokers: config.KAFKA_BROKERS,
    clientId: 'portal-gateway-rebuild',
    source: '/buergerservice/portal-gateway',
  });
  try {
    const result = await bus.withAdmin((admin) =>
      prepareTrackerRebuild(connection, admin, {
        groupId: config.KAFKA_CONSUMER_GROUP,
        topics: TRACKED_TOPICS,
        ...(since ? { since } : {}),
      }),
    );
    logger.info(result, 'read model emptied and offsets reset; start the gateway to replay the topics');
  } finally {
    await connection.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  createLogger('rebuild-tracker').fatal({ err: error }, 'rebuild failed');
  process.exitCode = 1;
});
