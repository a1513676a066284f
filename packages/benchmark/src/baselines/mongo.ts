import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { logCleanupFailure } from '../log.js';
import { ratePerSecond, type Summary, summarize } from '../stats.js';

/** Raw MongoDB driver on the platform's database server: one single-document write without the platform. */
export interface MongoBaseline {
  readonly documentBytes: number;
  /** insertOne, one at a time (acknowledged, default write concern). */
  readonly insert: Summary;
  /** updateOne by _id ($set + $inc), one at a time. */
  readonly update: Summary;
  readonly insertThroughput: Throughput;
  readonly updateThroughput: Throughput;
}

export interface Throughput {
  readonly concurrency: number;
  readonly seconds: number;
  readonly ops: number;
  readonly rate: number | undefined;
}

export interface MongoBaselineOptions {
  /** Server URL without a database, e.g. mongodb://127.0.0.1:27017. */
  readonly mongoUrl: string;
  readonly ops: number;
  readonly throughputSeconds: number;
  readonly concurrency: number;
  readonly documentBytes?: number;
}

interface BenchDocument {
  _id: string;
  personId: string;
  status: string;
  version: number;
  body: string;
  updatedAt: Date;
}

/** A document of about the size of a platform aggregate (a bundle's read model, a move). */
function document(id: string, bytes: number): BenchDocument {
  return {
    _id: id,
    personId: `P${id.slice(0, 7)}`,
    status: 'submitted',
    version: 0,
    // base64 of n bytes is 4n/3 characters.
    body: randomBytes(Math.max(1, Math.floor((bytes * 3) / 4))).toString('base64'),
    updatedAt: new Date(),
  };
}

/**
 * Runs the MongoDB baseline in a fresh database (dropped afterwards) through
 * mongoose's own connection and its underlying driver (`connection.db`), as
 * the services' repositories use it.
 */
export async function mongoBaseline(options: MongoBaselineOptions): Promise<MongoBaseline> {
  const documentBytes = options.documentBytes ?? 1_000;
  const database = `bench-baseline-${randomBytes(4).toString('hex')}`;
  const connection = await mongoose
    .createConnection(`${options.mongoUrl.replace(/\/+$/, '')}/${database}`, { serverSelectionTimeoutMS: 10_000 })
    .asPromise();
  try {
    const db = connection.db;
    if (!db) throw new Error('mongoose connection has no database handle');
    const collection = db.collection<BenchDocument>('documents');
    await db.createCollection('documents').catch((error: unknown) => {
      // Already there (a retry of the same name): fine; anything else is a real failure.
      if (!(error instanceof Error && /already exists/i.test(error.message))) throw error;
    });
    // Warm-up: connection pool, the collection's storage, JIT.
    for (let i = 0; i < 50; i++) await collection.insertOne(document(`warm-${i}`, documentBytes));

    const inserted: string[] = [];
    const inserts: number[] = [];
    for (let i = 0; i < options.ops; i++) {
      const doc = document(`s-${i}`, documentBytes);
      const t0 = performance.now();
      await collection.insertOne(doc);
      inserts.push(performance.now() - t0);
      inserted.push(doc._id);
    }

    const updates: number[] = [];
    for (const [i, id] of inserted.entries()) {
      const t0 = performance.now();
      const result = await collection.updateOne(
        { _id: id },
        { $set: { status: `step-${i % 7}`, updatedAt: new Date() }, $inc: { version: 1 } },
      );
      updates.push(performance.now() - t0);
      if (result.matchedCount !== 1) throw new Error(`update of ${id} matched ${result.matchedCount} documents`);
    }

    const insertThroughput = await concurrently(options, async (worker, i) => {
      await collection.insertOne(document(`t-${worker}-${i}`, documentBytes));
    });
    const updateThroughput = await concurrently(options, async (worker, i) => {
      const id = inserted[(worker * 7919 + i) % inserted.length] as string;
      await collection.updateOne({ _id: id }, { $set: { updatedAt: new Date() }, $inc: { version: 1 } });
    });
    return {
      documentBytes,
      insert: summarize(inserts),
      update: summarize(updates),
      insertThroughput,
      updateThroughput,
    };
  } finally {
    await connection.dropDatabase().catch(logCleanupFailure(`dropping database ${database}`));
    await connection.close();
  }
}

async function concurrently(
  options: Pick<MongoBaselineOptions, 'throughputSeconds' | 'concurrency'>,
  op: (worker: number, i: number) => Promise<void>,
): Promise<Throughput> {
  let ops = 0;
  const started = performance.now();
  const deadline = started + options.throughputSeconds * 1000;
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, worker) => {
      for (let i = 0; performance.now() < deadline; i++) {
        await op(worker, i);
        ops += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { concurrency: options.concurrency, seconds, ops, rate: ratePerSecond(ops, seconds) };
}
