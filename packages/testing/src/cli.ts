#!/usr/bin/env node
import fs from 'node:fs';
import { getContainerRuntimeClient } from 'testcontainers';
import { INFRA_LABEL, infraEnv, startInfra } from './infra.js';

/**
 * Starts the test infrastructure once for a whole test run across packages
 * (`up`), and removes it afterwards (`down`). The README's test command uses
 * it so that every package's integration tests share one broker and one
 * database server.
 *
 *   buergerservice-test-infra up --env-file FILE
 *   buergerservice-test-infra down [--env-file FILE]
 */
async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const envFileIndex = rest.indexOf('--env-file');
  const envFile = envFileIndex >= 0 ? rest[envFileIndex + 1] : undefined;
  if (command === 'up') {
    if (!envFile) throw new Error('up needs --env-file FILE');
    const infra = await startInfra();
    const lines = Object.entries(infraEnv(infra)).map(([k, v]) => `${k}=${v}`);
    fs.writeFileSync(envFile, `${lines.join('\n')}\n`);
    process.stderr.write(
      `    Kafka ${infra.kafkaBrokers.join(',')} (${infra.images.kafka}), database ${infra.mongoUrl} (${infra.images.database}): started in ${infra.startSeconds.toFixed(1)} s\n`,
    );
    return;
  }
  if (command === 'down') {
    const removed = await removeLabelledContainers();
    if (envFile && fs.existsSync(envFile)) fs.rmSync(envFile);
    process.stderr.write(`    removed ${removed} test infrastructure container(s)\n`);
    return;
  }
  throw new Error('usage: buergerservice-test-infra up --env-file FILE | down [--env-file FILE]');
}

/** Removes every container the harness started (also leftovers of an interrupted run). */
async function removeLabelledContainers(): Promise<number> {
  const client = await getContainerRuntimeClient();
  const containers = await client.container.list();
  const ours = containers.filter((c) => c.Labels?.[INFRA_LABEL] !== undefined);
  for (const info of ours) {
    const container = client.container.getById(info.Id);
    await client.container.remove(container, { removeVolumes: true }).catch(async () => {
      await container.remove({ force: true, v: true });
    });
  }
  return ours.length;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`buergerservice-test-infra: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
