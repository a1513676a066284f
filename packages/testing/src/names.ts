import { randomBytes } from 'node:crypto';

/**
 * A fresh name for a topic, consumer group or database, unique per call, so
 * test files sharing one broker and one database server never see each
 * other's data. Valid as a Kafka topic name and a MongoDB database name
 * (letters, digits, '-' and '_'; at most 63 characters).
 */
export function uniqueName(prefix: string): string {
  const clean = prefix.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40);
  return `${clean}-${randomBytes(6).toString('hex')}`;
}
