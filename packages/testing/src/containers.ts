import { getContainerRuntimeClient } from 'testcontainers';
import { sharedInfra } from './infra.js';

export type InfraContainer = 'kafka' | 'database';

async function container(which: InfraContainer) {
  const infra = sharedInfra();
  const id = which === 'kafka' ? infra.kafkaContainerId : infra.databaseContainerId;
  if (!id) throw new Error(`The ${which} container id is unknown; fault helpers need the shared test infrastructure.`);
  const client = await getContainerRuntimeClient();
  return { client, handle: client.container.getById(id) };
}

/** Hard-kills a container (SIGKILL), as a crash would. */
export async function killContainer(which: InfraContainer): Promise<void> {
  const { handle } = await container(which);
  await handle.kill({ signal: 'SIGKILL' });
}

/** Stops a container gracefully. */
export async function stopContainer(which: InfraContainer): Promise<void> {
  const { handle } = await container(which);
  await handle.stop({ t: 10 });
}

/** Starts a stopped or killed container again; ports and data are kept. */
export async function startContainer(which: InfraContainer): Promise<void> {
  const { handle } = await container(which);
  await handle.start();
}

/** Restarts a container (stop, then start). */
export async function restartContainer(which: InfraContainer): Promise<void> {
  const { handle } = await container(which);
  await handle.restart({ t: 5 });
}
