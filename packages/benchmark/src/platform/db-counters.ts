import mongoose, { type Connection } from 'mongoose';
import type { DatabaseCounts } from '../results.js';

const WRITE_COMMANDS = ['insert', 'update', 'findAndModify', 'delete'] as const;
const READ_COMMANDS = ['find', 'aggregate', 'count', 'distinct'] as const;

/** Command totals from serverStatus().metrics.commands (MongoDB and FerretDB both report them). */
export type CommandTotals = Readonly<Record<string, number>>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `metrics.commands.<name>.total` of a serverStatus answer; undefined when the server has no such metrics. */
export function commandTotals(serverStatus: unknown): CommandTotals | undefined {
  if (!isRecord(serverStatus) || !isRecord(serverStatus.metrics) || !isRecord(serverStatus.metrics.commands)) {
    return undefined;
  }
  const totals: Record<string, number> = {};
  for (const [name, value] of Object.entries(serverStatus.metrics.commands)) {
    if (!isRecord(value)) continue;
    // MongoDB answers Long-like objects in some drivers' settings; Number() reads both.
    const total = Number(value.total);
    if (Number.isFinite(total)) totals[name] = total;
  }
  return totals;
}

/** What the database server did between two readings. */
export function countsBetween(before: CommandTotals, after: CommandTotals): DatabaseCounts {
  const byCommand: Record<string, number> = {};
  for (const [name, total] of Object.entries(after)) {
    const delta = total - (before[name] ?? 0);
    if (delta > 0) byCommand[name] = delta;
  }
  const sumOf = (names: readonly string[]) => names.reduce((a, n) => a + (byCommand[n] ?? 0), 0);
  return { writes: sumOf(WRITE_COMMANDS), reads: sumOf(READ_COMMANDS), byCommand };
}

/**
 * Counts the database commands of all services (the server is shared, one
 * database per service), so the cost model can use the writes a bundle
 * really caused instead of an estimate.
 */
export class DatabaseCounters {
  private constructor(private readonly connection: Connection) {}

  static async connect(mongoUrl: string): Promise<DatabaseCounters> {
    const connection = await mongoose
      .createConnection(`${mongoUrl.replace(/\/+$/, '')}/admin`, { serverSelectionTimeoutMS: 10_000 })
      .asPromise();
    return new DatabaseCounters(connection);
  }

  /** Current totals; undefined when the server does not report command metrics. */
  async read(): Promise<CommandTotals | undefined> {
    const db = this.connection.db;
    if (!db) return undefined;
    return commandTotals(await db.admin().command({ serverStatus: 1 }));
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
