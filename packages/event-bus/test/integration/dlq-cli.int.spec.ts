import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { kafkaBrokers, TopicRecorder, uniqueName } from '@buergerservice/testing';
import { deadLetterMessage, deadLetterTopic, type EventBus, encodeEvent, encodeEventHeaders } from '../../src/index.js';
import { AddressChanged, addressChanged, memoryLogger, testBus } from './support.js';

// The operator's tool as operators run it: the built bin in its own process.

const bin = path.resolve(__dirname, '../../dist/cli/dlq.js');
const run = promisify(execFile);

async function dlq(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', KAFKA_BROKERS: kafkaBrokers().join(',') },
      timeout: 60_000,
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: failed.stdout ?? '', stderr: failed.stderr ?? '', code: failed.code ?? -1 };
  }
}

describe('buergerservice-dlq', () => {
  let bus: EventBus;
  let topic: string;
  let dead: string;

  beforeAll(async () => {
    if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` first`);
    bus = testBus('dlq-cli-test', memoryLogger().logger);
    topic = uniqueName('registration-events');
    const groupId = uniqueName('vehicle');
    dead = deadLetterTopic(groupId);
    await bus.ensureTopics([topic], { partitions: 1, deadLetterGroups: [groupId] });
    const event = encodeEvent(AddressChanged, addressChanged('person-1', 'move-1'), {
      subject: 'person-1',
      correlationId: 'bundle-1',
      causationId: 'request-1',
      topic,
      id: 'event-1',
    });
    const headers = encodeEventHeaders({
      id: event.id,
      type: event.typeName,
      source: '/buergerservice/registration',
      time: event.time,
      subject: event.key,
      correlationId: event.correlationId,
      causationId: event.causationId,
    });
    await bus.sendRecords(dead, [
      deadLetterMessage(
        { key: Buffer.from('person-1'), value: Buffer.from(event.payload), headers },
        {
          originalTopic: topic,
          originalPartition: 0,
          originalOffset: '7',
          consumerGroup: groupId,
          reason: 'handler-failed',
          error: 'Error: no holder record',
          attempts: 5,
          failedAt: new Date('2025-03-01T10:00:00Z'),
        },
      ),
    ]);
  });
  afterAll(async () => {
    await bus.disconnect();
  });

  it('lists the dead letters', async () => {
    const { stdout, code } = await dlq('list', dead);
    expect(code).toBe(0);
    const [header, row] = stdout.trim().split('\n');
    expect(header).toMatch(/^PARTITION:OFFSET\s+ORIGINAL TOPIC\s+TYPE\s+REASON\s+FAILED AT\s+ERROR$/);
    expect(row).toContain('0:0');
    expect(row).toContain(topic);
    expect(row).toContain(AddressChanged.typeName);
    expect(row).toContain('handler-failed');
    expect(row).toContain('2025-03-01T10:00:00.000Z');
    expect(row).toContain('Error: no holder record');
  });

  it('inspects a dead letter and shows its personal data only when asked to', async () => {
    const hidden = await dlq('inspect', dead, '0');
    expect(hidden.code).toBe(0);
    const details = JSON.parse(hidden.stdout) as { headers: Record<string, string>; payload: unknown };
    expect(details.headers.ce_id).toBe('event-1');
    expect(details.headers.dlq_reason).toBe('handler-failed');
    expect(hidden.stdout).not.toContain('Augustusplatz');

    const shown = await dlq('inspect', dead, '0:0', '--show-payload');
    expect((JSON.parse(shown.stdout) as { payload: unknown }).payload).toMatchObject({
      moveId: 'move-1',
      newAddress: { street: 'Augustusplatz' },
    });
  });

  it('replays a dead letter to its original topic', async () => {
    const recorder = await TopicRecorder.start(topic);
    try {
      const { stdout, code } = await dlq('replay', dead, '--offset', '0');
      expect(code).toBe(0);
      expect(stdout).toContain(`replayed ${dead} 0:0 -> ${topic} (ce_id event-1)`);
      const [replayed] = await recorder.waitFor(() => true);
      expect(replayed?.headers.ce_id).toBe('event-1');
      expect(replayed?.headers.dlq_replayed_from).toBe(`${dead}:0:0`);

      const all = await dlq('replay', dead, '--all');
      expect(all.stdout).toContain('1 dead letter(s) replayed');
      await recorder.waitFor(() => true, { count: 2 });
    } finally {
      await recorder.stop();
    }
  });

  it('explains its usage and fails on a wrong call', async () => {
    const wrong = await dlq('replay', dead);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('give either --offset N (repeatable) or --all');
    expect(wrong.stderr).toContain('usage:');
  });
});
