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
 *   buergerservice-test-infra up --write-env FILE
 *   buergerservice-test-infra down --write-env FILE   (removes the containers named in FILE)
 *   buergerservice-test-infra down --all              (removes every container the harness ever started)
 *
 * The option is not called --env-file: Node 20 takes that as its own flag
 * wherever it appears on the command line.
 */
async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const envFileIndex = rest.indexOf('--write-env');
  const envFile = envFileIndex >= 0 ? rest[envFileIndex + 1] : undefined;
  if (command === 'up') {
    if (!envFile) throw new Error('up needs --write-env FILE');
    const infra = await startInfra();
    const lines = Object.entries(infraEnv(infra)).map(([k, v]) => `${k}=${v}`);
    fs.writeFileSync(envFile, `${lines.join('\n')}\n`);
    process.stderr.write(
      `    Kafka ${infra.kafkaBrokers.join(',')} (${infra.images.kafka}), database ${infra.mongoUrl} (${infra.images.database}): started in ${infra.startSeconds.toFixed(1)} s\n`,
    );
    return;
  }
  if (command === 'down') {
    let removed: number;
    if (rest.includes('--all')) {
      removed = await removeLabelledContainers();
    } else {
      if (!envFile) throw new Error('down needs --write-env FILE (or --all)');
      removed = fs.existsSync(envFile) ? await removeContainersOf(envFile) : 0;
    }
    if (envFile && fs.existsSync(envFile)) fs.rmSync(envFile);
    process.stderr.write(`    removed ${removed} test infrastructure container(s)\n`);
    return;
  }
  throw new Error('usage: buergerservice-test-infra up --write-env FILE | down (--write-env FILE | --all)');
}

/** Removes the containers a previous `up` wrote into its env file. */
async function removeContainersOf(envFile: string): Promise<number> {
  const ids = fs
    .readFileSync(envFile, 'utf8')
    .split('\n')
    .filter((line) => /^BUERGERSERVICE_TEST_(KAFKA|DATABASE)_CONTAINER=/.test(line))
    .map((line) => line.slice(line.indexOf('=') + 1))
    .filter((id) => id.length > 0);
  const client = await getContainerRuntimeClient();
  for (const id of ids) {
    await client.container
      .getById(id)
      .remove({ force: true, v: true })
      .catch(() => undefined);
  }
  return ids.length;
}

/** Removes every container the harness started (also leftovers of interrupted runs). */
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
