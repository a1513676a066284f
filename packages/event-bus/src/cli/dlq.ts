#!/usr/bin/env node
import { buildLogger } from '@buergerservice/telemetry';
import { logLevel } from 'kafkajs';
import { EventBus } from '../publisher.js';
import { loadDlqConfig } from './config.js';
import {
  type DeadLetterRow,
  inspectDeadLetter,
  listDeadLetters,
  parsePosition,
  replayDeadLetters,
} from './dlq-commands.js';

const usage = `usage:
  buergerservice-dlq list <dlq-topic>
  buergerservice-dlq inspect <dlq-topic> <offset|partition:offset> [--show-payload]
  buergerservice-dlq replay <dlq-topic> (--offset <offset|partition:offset> ... | --all)

Brokers come from KAFKA_BROKERS (comma-separated).
The decoded payload holds personal data; inspect shows it only with --show-payload.`;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

function table(rows: readonly DeadLetterRow[]): string {
  const header = ['PARTITION:OFFSET', 'ORIGINAL TOPIC', 'TYPE', 'REASON', 'FAILED AT', 'ERROR'];
  const lines = rows.map((r) => [`${r.partition}:${r.offset}`, r.originalTopic, r.type, r.reason, r.failedAt, r.error]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return [format(header), ...lines.map(format)].join('\n');
}

async function main(argv: readonly string[]): Promise<void> {
  const [command, topic, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    process.stdout.write(`${usage}\n`);
    return;
  }
  if (!topic) throw new UsageError(`${command}: the dead-letter topic is missing`);
  const config = loadDlqConfig();
  const bus = new EventBus({
    brokers: config.KAFKA_BROKERS,
    clientId: config.KAFKA_CLIENT_ID,
    source: '/buergerservice/dlq-tool',
    kafkaLogLevel: logLevel.ERROR,
    // stdout carries the tool's output; diagnostics go to stderr.
    logger: buildLogger({ service: 'buergerservice-dlq', level: 'warn' }, process.stderr),
  });
  try {
    switch (command) {
      case 'list': {
        const rows = await listDeadLetters(bus.kafka, topic);
        process.stdout.write(rows.length === 0 ? `${topic}: no dead letters\n` : `${table(rows)}\n`);
        return;
      }
      case 'inspect': {
        const at = rest.find((a) => !a.startsWith('--'));
        if (!at) throw new UsageError('inspect: the offset is missing');
        const details = await inspectDeadLetter(bus.kafka, topic, parsePosition(at), {
          showPayload: rest.includes('--show-payload'),
        });
        process.stdout.write(`${JSON.stringify(details, null, 2)}\n`);
        return;
      }
      case 'replay': {
        const positions = rest.flatMap((arg, i) => (arg === '--offset' && rest[i + 1] ? [rest[i + 1] as string] : []));
        const all = rest.includes('--all');
        if (all === positions.length > 0) throw new UsageError('replay: give either --offset N (repeatable) or --all');
        const replayed = await replayDeadLetters(
          bus,
          topic,
          all ? { all: true } : { positions: positions.map(parsePosition) },
        );
        for (const r of replayed) {
          process.stdout.write(
            `replayed ${topic} ${r.partition}:${r.offset} -> ${r.toTopic} (ce_id ${r.eventId ?? '-'})\n`,
          );
        }
        process.stdout.write(`${replayed.length} dead letter(s) replayed\n`);
        return;
      }
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } finally {
    await bus.disconnect();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`buergerservice-dlq: ${message}\n`);
  if (error instanceof UsageError) process.stderr.write(`${usage}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
