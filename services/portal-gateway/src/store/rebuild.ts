import type { Admin } from 'kafkajs';
import type { Connection } from 'mongoose';
import { trackerModels } from './bundle-store.js';

export interface RebuildOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /**
   * Replay only records from this time on (the offsets Kafka finds for the
   * timestamp) instead of from the earliest. Bundles with events before it
   * come back incomplete; meant for bounded rebuilds, e.g. after a known
   * incident, and for tests on a shared broker.
   */
  readonly since?: Date;
}

export interface RebuildResult {
  /** Event records removed (they come back from the topics). */
  readonly eventsRemoved: number;
  readonly topics: readonly string[];
}

/**
 * Prepares a rebuild of the request tracker's read model from the topics:
 * removes the recorded events (the submission records, which only the portal
 * knows, stay) and resets the consumer group's offsets to the
 * earliest record of every topic. The next start of the gateway then replays
 * every event; the merge of facts is order-independent and idempotent, so
 * the result is the read model the live consumer built. On an empty database
 * (no submission records either) the bundles come back from AddressChanged,
 * owned by the applicant, without the revocation deadlines (only the
 * registration office's synchronous answer carries those).
 *
 * The consumer group must have no running members (stop every replica first):
 * Kafka refuses to reset the offsets of an active group.
 */
export async function prepareTrackerRebuild(
  connection: Connection,
  admin: Admin,
  options: RebuildOptions,
): Promise<RebuildResult> {
  const groups = await admin.describeGroups([options.groupId]);
  const group = groups.groups[0];
  if (group && group.members.length > 0) {
    throw new Error(
      `consumer group ${options.groupId} has ${group.members.length} active member(s): stop every gateway replica first`,
    );
  }
  const { deletedCount } = await trackerModels(connection).events.deleteMany({}).exec();
  for (const topic of options.topics) {
    if (options.since) {
      const partitions = await admin.fetchTopicOffsetsByTimestamp(topic, options.since.getTime());
      await admin.setOffsets({
        groupId: options.groupId,
        topic,
        partitions: partitions.map(({ partition, offset }) => ({ partition, offset })),
      });
    } else {
      await admin.resetOffsets({ groupId: options.groupId, topic, earliest: true });
    }
  }
  return { eventsRemoved: deletedCount, topics: options.topics };
}
