import net from 'node:net';
import {
  GenericContainer,
  getContainerRuntimeClient,
  ImageName,
  type StartedTestContainer,
  Wait,
} from 'testcontainers';
import { imageConfig, sharedInfraConfig } from './config.js';
import { type ImageChoice, pinnedImages } from './images.js';

/** Where the running test infrastructure is reachable (always on loopback). */
export interface InfraEndpoints {
  kafkaBrokers: string[];
  /** Server URL without a database name, e.g. "mongodb://127.0.0.1:32768". */
  mongoUrl: string;
  kafkaContainerId: string;
  databaseContainerId: string;
}

export interface StartedInfra extends InfraEndpoints {
  images: ImageChoice;
  /** Seconds it took to start both containers. */
  startSeconds: number;
  stop(): Promise<void>;
}

/** Label on every container the harness starts, so `down` can find leftovers. */
export const INFRA_LABEL = 'buergerservice.test-infra';

async function imageExists(name: string): Promise<boolean> {
  const client = await getContainerRuntimeClient();
  return client.image.exists(ImageName.fromString(name));
}

/** Picks the images: the local air-gapped ones when built, else the official ones; env overrides both. */
export async function chooseImages(): Promise<ImageChoice> {
  const config = imageConfig();
  const pinned = pinnedImages();
  let flavour: ImageChoice['flavour'];
  if (config.BUERGERSERVICE_IMAGE_FLAVOUR === 'auto') {
    flavour = (await imageExists(pinned.KAFKA_LOCAL_IMAGE)) ? 'local' : 'official';
  } else {
    flavour = config.BUERGERSERVICE_IMAGE_FLAVOUR;
  }
  return {
    flavour,
    kafka:
      config.BUERGERSERVICE_KAFKA_IMAGE ??
      (flavour === 'local' ? pinned.KAFKA_LOCAL_IMAGE : pinned.KAFKA_OFFICIAL_IMAGE),
    database:
      config.BUERGERSERVICE_DATABASE_IMAGE ??
      (flavour === 'local' ? pinned.DATABASE_LOCAL_IMAGE : pinned.MONGO_OFFICIAL_IMAGE),
  };
}

/** A free TCP port on loopback (the broker must advertise the port clients use, so it is fixed before start). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Kafka in KRaft combined mode on one node. The broker listens on the same
 * port number inside the container as on the host and advertises
 * 127.0.0.1:<port>, so clients on the host reach it through the published
 * loopback port. The local image takes the port from KAFKA_ADVERTISED_PORT
 * (see infra/images/kafka/kafka-entrypoint.sh); the official apache/kafka
 * image takes its listeners from KAFKA_* variables.
 */
function kafkaContainer(image: string, flavour: ImageChoice['flavour'], port: number): GenericContainer {
  const official = {
    KAFKA_NODE_ID: '1',
    KAFKA_PROCESS_ROLES: 'broker,controller',
    KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${port},CONTROLLER://127.0.0.1:9093`,
    KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${port}`,
    KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
    KAFKA_CONTROLLER_QUORUM_VOTERS: '1@127.0.0.1:9093',
    KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
    KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
    KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
    KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
    KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    KAFKA_NUM_PARTITIONS: '3',
  };
  const local = { KAFKA_ADVERTISED_PORT: String(port), KAFKA_ADVERTISED_HOST: '127.0.0.1' };
  return new GenericContainer(image)
    .withLabels({ [INFRA_LABEL]: 'kafka' })
    .withExposedPorts({ container: port, host: port })
    .withEnvironment({ ...(flavour === 'local' ? local : official), KAFKA_HEAP_OPTS: '-Xms256m -Xmx512m' })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(120_000);
}

function databaseContainer(image: string, flavour: ImageChoice['flavour']): GenericContainer {
  const container = new GenericContainer(image)
    .withLabels({ [INFRA_LABEL]: 'database' })
    .withExposedPorts(27017)
    .withWaitStrategy(Wait.forListeningPorts())
    .withStartupTimeout(120_000);
  return flavour === 'official' ? container.withCommand(['mongod', '--bind_ip_all']) : container;
}

/** Starts a Kafka broker and a MongoDB-wire database for a test run. */
export async function startInfra(): Promise<StartedInfra> {
  const started = Date.now();
  const images = await chooseImages();
  const port = await freePort();
  const results = await Promise.allSettled([
    kafkaContainer(images.kafka, images.flavour, port).start(),
    databaseContainer(images.database, images.flavour).start(),
  ]);
  const [kafkaResult, databaseResult] = results;
  if (kafkaResult?.status !== 'fulfilled' || databaseResult?.status !== 'fulfilled') {
    // Do not leave a half-started pair behind.
    await Promise.all(
      results.map((r) => (r.status === 'fulfilled' ? r.value.stop({ timeout: 1_000 }) : Promise.resolve())),
    );
    const failure = results.find((r) => r.status === 'rejected');
    throw new Error('The test infrastructure did not start', { cause: failure?.reason });
  }
  const kafka: StartedTestContainer = kafkaResult.value;
  const database: StartedTestContainer = databaseResult.value;
  const endpoints: InfraEndpoints = {
    kafkaBrokers: [`127.0.0.1:${port}`],
    mongoUrl: `mongodb://127.0.0.1:${database.getMappedPort(27017)}`,
    kafkaContainerId: kafka.getId(),
    databaseContainerId: database.getId(),
  };
  await waitForKafka(endpoints.kafkaBrokers);
  return {
    ...endpoints,
    images,
    startSeconds: (Date.now() - started) / 1000,
    stop: async () => {
      await Promise.all([kafka.stop({ timeout: 5_000 }), database.stop({ timeout: 5_000 })]);
    },
  };
}

/** Waits until the broker answers metadata requests (listening is not yet serving). */
async function waitForKafka(brokers: string[]): Promise<void> {
  const { Kafka, logLevel } = await import('kafkajs');
  const admin = new Kafka({
    clientId: 'test-infra',
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 30, initialRetryTime: 200, maxRetryTime: 2_000 },
  }).admin();
  await admin.connect();
  try {
    await admin.describeCluster();
  } finally {
    await admin.disconnect();
  }
}

/** Environment variables that hand the running infrastructure to test workers and child processes. */
export function infraEnv(endpoints: InfraEndpoints): Record<string, string> {
  return {
    BUERGERSERVICE_TEST_KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    BUERGERSERVICE_TEST_MONGO_URL: endpoints.mongoUrl,
    BUERGERSERVICE_TEST_KAFKA_CONTAINER: endpoints.kafkaContainerId,
    BUERGERSERVICE_TEST_DATABASE_CONTAINER: endpoints.databaseContainerId,
  };
}

/** The infrastructure shared by this test run (started by the global setup). */
export function sharedInfra(): InfraEndpoints {
  const env = sharedInfraConfig();
  if (!env.BUERGERSERVICE_TEST_KAFKA_BROKERS || !env.BUERGERSERVICE_TEST_MONGO_URL) {
    throw new Error(
      'No test infrastructure: run integration tests through their jest config (its global setup starts Kafka and the database) or the README test command.',
    );
  }
  return {
    kafkaBrokers: env.BUERGERSERVICE_TEST_KAFKA_BROKERS.split(','),
    mongoUrl: env.BUERGERSERVICE_TEST_MONGO_URL,
    kafkaContainerId: env.BUERGERSERVICE_TEST_KAFKA_CONTAINER ?? '',
    databaseContainerId: env.BUERGERSERVICE_TEST_DATABASE_CONTAINER ?? '',
  };
}

export function kafkaBrokers(): string[] {
  return sharedInfra().kafkaBrokers;
}

/** URL of a database on the shared server; pass a `uniqueName()` for a fresh one per test file. */
export function databaseUrl(database: string): string {
  return `${sharedInfra().mongoUrl}/${database}`;
}
