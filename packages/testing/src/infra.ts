import net from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
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
  /** Only with the `kafkaProxy` option: the broker's listener for a proxy. */
  kafkaProxy?: ProxiedKafkaListener;
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
 * A second client listener of the broker for a TCP proxy in front of Kafka.
 * Clients connect to whatever the broker advertises after bootstrap, so a
 * proxy must own the advertised port: the listener is published on host port
 * `listenPort` (B, the proxy's upstream) and advertises 127.0.0.1:`advertisedPort`
 * (A, where the proxy listens). Whoever bootstraps through A or B ends up
 * talking through the proxy; the default listener (`kafkaBrokers`) stays
 * direct, for the harness's own helpers and checks.
 */
export interface ProxiedKafkaListener {
  /** Host (and container) port the listener is published on: the proxy's upstream. */
  readonly listenPort: number;
  /** Port the listener advertises on 127.0.0.1: the proxy must listen there. */
  readonly advertisedPort: number;
  /** Brokers for clients that must go through the proxy: ["127.0.0.1:<advertisedPort>"]. */
  readonly brokers: string[];
}

export interface KafkaProxyOption {
  /** The port the proxy will listen on (A); a free one is picked when left out. */
  readonly advertisedPort?: number;
}

export interface InfraOptions {
  /** Adds the proxied client listener (see ProxiedKafkaListener). Without it the broker has one listener, as always. */
  readonly kafkaProxy?: KafkaProxyOption;
}

/** Ports of the broker's client listeners on the host. */
export interface KafkaListenerPorts {
  /** The direct listener: listens and advertises on this port. */
  readonly port: number;
  readonly proxied?: { readonly listenPort: number; readonly advertisedPort: number };
}

/**
 * The broker's environment. The local image takes the port from
 * KAFKA_ADVERTISED_PORT (see infra/images/kafka/kafka-entrypoint.sh); the
 * official apache/kafka image takes its listeners from KAFKA_* variables.
 * With a proxied listener both get explicit listeners: the direct one
 * (PLAINTEXT, also inter-broker) and PROXIED, whose advertised port differs
 * from the one it listens on. The local image's INTERNAL listener (for other
 * containers) is left out then: nothing in the harness uses it.
 */
export function kafkaEnvironment(flavour: ImageChoice['flavour'], ports: KafkaListenerPorts): Record<string, string> {
  const { port, proxied } = ports;
  const listeners = proxied
    ? {
        KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${port},PROXIED://0.0.0.0:${proxied.listenPort},CONTROLLER://127.0.0.1:9093`,
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${port},PROXIED://127.0.0.1:${proxied.advertisedPort}`,
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,PROXIED:PLAINTEXT,CONTROLLER:PLAINTEXT',
        KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
      }
    : undefined;
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
  return { ...(flavour === 'local' ? local : official), ...listeners, KAFKA_HEAP_OPTS: '-Xms256m -Xmx512m' };
}

/**
 * Kafka in KRaft combined mode on one node. The broker listens on the same
 * port number inside the container as on the host and advertises
 * 127.0.0.1:<port>, so clients on the host reach it through the published
 * loopback port (likewise the proxied listener's port B, published B:B).
 */
function kafkaContainer(image: string, flavour: ImageChoice['flavour'], ports: KafkaListenerPorts): GenericContainer {
  const published = [ports.port, ...(ports.proxied ? [ports.proxied.listenPort] : [])];
  return new GenericContainer(image)
    .withLabels({ [INFRA_LABEL]: 'kafka' })
    .withExposedPorts(...published.map((p) => ({ container: p, host: p })))
    .withEnvironment(kafkaEnvironment(flavour, ports))
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(120_000);
}

/** Host ports for the broker's listeners, all distinct (and distinct from the proxy port the caller chose). */
async function kafkaListenerPorts(proxy: KafkaProxyOption | undefined): Promise<KafkaListenerPorts> {
  const taken = new Set<number>(proxy?.advertisedPort === undefined ? [] : [proxy.advertisedPort]);
  const distinctFreePort = async () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const port = await freePort();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
    throw new Error('no distinct free port for the Kafka listeners');
  };
  const port = await distinctFreePort();
  if (!proxy) return { port };
  const listenPort = await distinctFreePort();
  const advertisedPort = proxy.advertisedPort ?? (await distinctFreePort());
  return { port, proxied: { listenPort, advertisedPort } };
}

/** A Kafka broker on its own, for tests that need a broker of their own (e.g. with the proxied listener). */
export interface StartedKafka {
  /** The direct listener. */
  readonly brokers: string[];
  readonly proxied?: ProxiedKafkaListener;
  readonly containerId: string;
  readonly image: string;
  stop(): Promise<void>;
}

function proxiedListener(ports: KafkaListenerPorts): ProxiedKafkaListener | undefined {
  if (!ports.proxied) return undefined;
  return { ...ports.proxied, brokers: [`127.0.0.1:${ports.proxied.advertisedPort}`] };
}

/**
 * Starts only a Kafka broker (same image choice and settings as `startInfra`) and waits until it serves.
 * A broker that does not come up is tried once more on fresh ports: in CI one exited before its ready
 * line while another suite restarted the shared broker on the same engine (cause not found; the ports
 * are chosen free but only bound when the container starts).
 */
export async function startKafka(options: { kafkaProxy?: KafkaProxyOption } = {}): Promise<StartedKafka> {
  return onceMoreOnFailure('Kafka', () => startKafkaOnce(options));
}

/** The message of an error and of its causes, e.g. "a: b: c" (Jest prints only the message of a setup error). */
export function describeFailure(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ');
}

/**
 * Runs `start`, and once more when it fails. Each attempt picks fresh ports. The first failure is
 * printed with its cause, the second one is thrown.
 */
async function onceMoreOnFailure<T>(what: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    process.stderr.write(`${what} did not start (${describeFailure(error)}); trying once more\n`);
    return start();
  }
}

async function startKafkaOnce(options: { kafkaProxy?: KafkaProxyOption }): Promise<StartedKafka> {
  const images = await chooseImages();
  const ports = await kafkaListenerPorts(options.kafkaProxy);
  const container = await kafkaContainer(images.kafka, images.flavour, ports).start();
  const brokers = [`127.0.0.1:${ports.port}`];
  const proxied = proxiedListener(ports);
  const started: StartedKafka = {
    brokers,
    ...(proxied ? { proxied } : {}),
    containerId: container.getId(),
    image: images.kafka,
    stop: async () => {
      await container.stop({ timeout: 5_000 });
    },
  };
  try {
    await waitForKafka(brokers);
  } catch (error) {
    await started.stop().catch(() => undefined);
    throw error;
  }
  return started;
}

function databaseContainer(image: string, flavour: ImageChoice['flavour']): GenericContainer {
  const container = new GenericContainer(image)
    .withLabels({ [INFRA_LABEL]: 'database' })
    .withExposedPorts(27017)
    .withWaitStrategy(Wait.forListeningPorts())
    .withStartupTimeout(120_000);
  return flavour === 'official' ? container.withCommand(['mongod', '--bind_ip_all']) : container;
}

/**
 * Starts a Kafka broker and a MongoDB-wire database for a test run. With
 * `kafkaProxy` the broker gets a second, proxied client listener as well
 * (see ProxiedKafkaListener); `kafkaBrokers` is the direct one either way.
 * A pair that does not come up is stopped and started once more on fresh
 * ports (see startKafka; in CI a whole package's run once failed on it).
 */
export async function startInfra(options: InfraOptions = {}): Promise<StartedInfra> {
  const started = Date.now();
  const infra = await onceMoreOnFailure('The test infrastructure', () => startInfraOnce(options));
  return { ...infra, startSeconds: (Date.now() - started) / 1000 };
}

async function startInfraOnce(options: InfraOptions): Promise<Omit<StartedInfra, 'startSeconds'>> {
  const images = await chooseImages();
  const ports = await kafkaListenerPorts(options.kafkaProxy);
  const results = await Promise.allSettled([
    kafkaContainer(images.kafka, images.flavour, ports).start(),
    databaseContainer(images.database, images.flavour).start(),
  ]);
  const [kafkaResult, databaseResult] = results;
  if (kafkaResult?.status !== 'fulfilled' || databaseResult?.status !== 'fulfilled') {
    // Do not leave a half-started pair behind.
    await Promise.all(
      results.map((r) => (r.status === 'fulfilled' ? r.value.stop({ timeout: 1_000 }) : Promise.resolve())),
    );
    const failure = results.find((r) => r.status === 'rejected');
    throw new Error(`The test infrastructure did not start: ${describeFailure(failure?.reason)}`, {
      cause: failure?.reason,
    });
  }
  const kafka: StartedTestContainer = kafkaResult.value;
  const database: StartedTestContainer = databaseResult.value;
  const endpoints: InfraEndpoints = {
    kafkaBrokers: [`127.0.0.1:${ports.port}`],
    mongoUrl: `mongodb://127.0.0.1:${database.getMappedPort(27017)}`,
    kafkaContainerId: kafka.getId(),
    databaseContainerId: database.getId(),
  };
  const stop = async () => {
    await Promise.all([kafka.stop({ timeout: 5_000 }), database.stop({ timeout: 5_000 })]);
  };
  try {
    await waitForKafka(endpoints.kafkaBrokers);
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  const kafkaProxy = proxiedListener(ports);
  return {
    ...endpoints,
    images,
    ...(kafkaProxy ? { kafkaProxy } : {}),
    stop,
  };
}

/** Waits until the broker answers metadata requests (listening is not yet serving). */
async function waitForKafka(brokers: string[]): Promise<void> {
  // A static import: startKafka also runs inside jest workers, where a dynamic import() of the built file fails.
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
