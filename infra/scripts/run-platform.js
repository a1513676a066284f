// Runs the whole platform on this machine: Kafka and the database as
// containers, the five services as local Node processes with telemetry on,
// demo data seeded. Started by `npm start` (infra/scripts/start.sh), which
// installs, builds and prepares the engine and images first.
//
// Ctrl-C stops the services and removes the containers; the data volumes and
// images stay, so the next start is quick and finds the same data.
'use strict';

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const runDir = path.join(root, '.run');
const logDir = path.join(runDir, 'logs');

/** Every setting, with its default; override through the environment. */
const settings = {
  portalPort: Number(process.env.PORTAL_PORT ?? 8080),
  kafkaPort: Number(process.env.KAFKA_PORT ?? 9092),
  mongoPort: Number(process.env.MONGO_PORT ?? 27017),
  grpcPorts: {
    registration: Number(process.env.REGISTRATION_PORT ?? 50051),
    vehicle: Number(process.env.VEHICLE_PORT ?? 50052),
    appointment: Number(process.env.APPOINTMENT_PORT ?? 50053),
    document: Number(process.env.DOCUMENT_PORT ?? 50054),
  },
  metricsBasePort: Number(process.env.METRICS_BASE_PORT ?? 9464),
  seedPersons: Number(process.env.SEED_PERSONS ?? 200),
  seedVehicles: Number(process.env.SEED_VEHICLES ?? 120),
  otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '',
  engine: process.env.CONTAINER_ENGINE === 'docker' ? 'docker' : 'podman',
};

const containers = {
  kafka: 'buergerservice-kafka',
  database: 'buergerservice-database',
};

const say = (message) => process.stderr.write(`\x1b[1m==>\x1b[0m ${message}\n`);
const info = (message) => process.stderr.write(`    ${message}\n`);

function engine(args, options = {}) {
  return execFileSync(settings.engine, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options }).trim();
}

function readImages() {
  const values = {};
  for (const line of fs.readFileSync(path.join(root, 'infra/images/images.env'), 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) values[match[1]] = match[2];
  }
  const local = (() => {
    try {
      engine(['image', 'inspect', values.KAFKA_LOCAL_IMAGE]);
      return true;
    } catch {
      return false;
    }
  })();
  return local
    ? { kafka: values.KAFKA_LOCAL_IMAGE, database: values.DATABASE_LOCAL_IMAGE, official: false }
    : { kafka: values.KAFKA_OFFICIAL_IMAGE, database: values.MONGO_OFFICIAL_IMAGE, official: true };
}

function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function containerState(name) {
  try {
    return engine(['inspect', '--format', '{{.State.Status}}', name]);
  } catch {
    return undefined;
  }
}

async function checkPorts() {
  const wanted = [
    ['PORTAL_PORT', settings.portalPort, 'the portal'],
    ...Object.entries(settings.grpcPorts).map(([name, port]) => [`${name.toUpperCase()}_PORT`, port, name]),
    ...serviceNames().map((name, i) => ['METRICS_BASE_PORT', settings.metricsBasePort + i, `${name} metrics`]),
  ];
  if (containerState(containers.kafka) !== 'running') wanted.push(['KAFKA_PORT', settings.kafkaPort, 'Kafka']);
  if (containerState(containers.database) !== 'running') wanted.push(['MONGO_PORT', settings.mongoPort, 'the database']);
  const taken = [];
  for (const [variable, port, what] of wanted) {
    if (!(await portFree(port))) taken.push(`port ${port} (${what}) is taken: set ${variable} to another port`);
  }
  if (taken.length > 0) {
    for (const line of taken) process.stderr.write(`error: ${line}\n`);
    process.exit(1);
  }
}

function startContainer(name, image, args) {
  const state = containerState(name);
  if (state === 'running') {
    info(`${name}: already running, reused`);
    return;
  }
  if (state) engine(['rm', '-f', name]);
  engine(['run', '-d', '--name', name, '--label', 'buergerservice.platform=local', ...args, image]);
  info(`${name}: started from ${image}`);
}

async function waitFor(what, check, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${what} did not become ready in ${timeoutMs / 1000} s`, { cause: lastError });
}

async function startInfrastructure() {
  const images = readImages();
  say(`Starting Kafka and the database (${images.official ? 'official' : 'locally built'} images)`);
  startContainer(containers.kafka, images.kafka, [
    '-p',
    `127.0.0.1:${settings.kafkaPort}:${settings.kafkaPort}`,
    '-v',
    'buergerservice-kafka-data:/var/lib/kafka/data',
    ...(images.official
      ? [
          '-e', 'KAFKA_NODE_ID=1',
          '-e', 'KAFKA_PROCESS_ROLES=broker,controller',
          '-e', `KAFKA_LISTENERS=PLAINTEXT://0.0.0.0:${settings.kafkaPort},CONTROLLER://127.0.0.1:9093`,
          '-e', `KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://127.0.0.1:${settings.kafkaPort}`,
          '-e', 'KAFKA_LISTENER_SECURITY_PROTOCOL_MAP=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
          '-e', 'KAFKA_CONTROLLER_LISTENER_NAMES=CONTROLLER',
          '-e', 'KAFKA_CONTROLLER_QUORUM_VOTERS=1@127.0.0.1:9093',
          '-e', 'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR=1',
          '-e', 'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR=1',
          '-e', 'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR=1',
          '-e', 'KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS=0',
        ]
      : ['-e', `KAFKA_ADVERTISED_PORT=${settings.kafkaPort}`]),
  ]);
  startContainer(containers.database, images.database, [
    '-p',
    `127.0.0.1:${settings.mongoPort}:27017`,
    '-v',
    images.official ? 'buergerservice-db-data:/data/db' : 'buergerservice-db-data:/data',
  ]);

  const { Kafka, logLevel } = require(require.resolve('kafkajs', { paths: [path.join(root, 'packages/event-bus')] }));
  const kafka = new Kafka({ clientId: 'platform-runner', brokers: [`127.0.0.1:${settings.kafkaPort}`], logLevel: logLevel.NOTHING });
  await waitFor('Kafka', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.describeCluster();
      return true;
    } finally {
      await admin.disconnect();
    }
  });
  info(`Kafka ready on 127.0.0.1:${settings.kafkaPort}`);
  const mongoose = require(require.resolve('mongoose', { paths: [path.join(root, 'packages/event-bus')] }));
  await waitFor('the database', async () => {
    const connection = await mongoose.createConnection(`mongodb://127.0.0.1:${settings.mongoPort}/admin`, {
      serverSelectionTimeoutMS: 2_000,
    }).asPromise();
    await connection.close();
    return true;
  });
  info(`database ready on 127.0.0.1:${settings.mongoPort}`);
}

function serviceNames() {
  return ['registration', 'vehicle', 'appointment', 'document', 'portal-gateway'];
}

function serviceEnv(name, index) {
  const port = name === 'portal-gateway' ? settings.portalPort : settings.grpcPorts[name];
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    MONGO_URL: `mongodb://127.0.0.1:${settings.mongoPort}/${name}`,
    KAFKA_BROKERS: `127.0.0.1:${settings.kafkaPort}`,
    GRPC_INSECURE: 'true',
    OTEL_SERVICE_NAME: name,
    METRICS_PORT: String(settings.metricsBasePort + index),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    REGISTRATION_GRPC_ADDRESS: `127.0.0.1:${settings.grpcPorts.registration}`,
    VEHICLE_GRPC_ADDRESS: `127.0.0.1:${settings.grpcPorts.vehicle}`,
    APPOINTMENT_GRPC_ADDRESS: `127.0.0.1:${settings.grpcPorts.appointment}`,
    DOCUMENT_GRPC_ADDRESS: `127.0.0.1:${settings.grpcPorts.document}`,
  };
  if (settings.otlpEndpoint) env.OTEL_EXPORTER_OTLP_ENDPOINT = settings.otlpEndpoint;
  if (name === 'portal-gateway') {
    env.DEV_ISSUER_ENABLED = 'true';
    env.PUBLIC_URL = `http://127.0.0.1:${settings.portalPort}`;
  }
  if (name === 'document') env.SIGNING_DEV_KEY = 'true';
  return env;
}

function seed(name, index) {
  const script = path.join(root, 'services', name, 'dist', 'seed.js');
  if (!fs.existsSync(script)) return;
  execFileSync(process.execPath, [script, '--persons', String(settings.seedPersons), '--vehicles', String(settings.seedVehicles)], {
    cwd: path.join(root, 'services', name),
    env: serviceEnv(name, index),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  info(`${name}: demo data seeded`);
}

const children = new Map();

function startService(name, index) {
  const cwd = path.join(root, 'services', name);
  const log = fs.openSync(path.join(logDir, `${name}.log`), 'a');
  const child = spawn(process.execPath, ['--enable-source-maps', '--require', '@buergerservice/telemetry/register', 'dist/main.js'], {
    cwd,
    env: serviceEnv(name, index),
    stdio: ['ignore', 'pipe', log],
  });
  children.set(name, child);
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      fs.writeSync(log, chunk);
      buffered += chunk.toString();
      if (buffered.includes('"msg":"ready"')) {
        buffered = '';
        resolve();
      }
      if (buffered.length > 100_000) buffered = buffered.slice(-10_000);
    });
    child.once('exit', (code) => {
      children.delete(name);
      reject(new Error(`${name} exited with code ${code}; see .run/logs/${name}.log`));
    });
  });
}

let stopping = false;
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  say('Stopping');
  await Promise.all(
    [...children.entries()].map(
      ([name, child]) =>
        new Promise((resolve) => {
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.once('exit', () => {
            clearTimeout(timer);
            info(`${name} stopped`);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  for (const name of Object.values(containers)) {
    try {
      engine(['rm', '-f', '-t', '5', name]);
      info(`${name} removed (its data volume is kept)`);
    } catch {
      // Already gone.
    }
  }
  process.exit(code);
}

async function main() {
  const missing = serviceNames().filter((name) => !fs.existsSync(path.join(root, 'services', name, 'dist', 'main.js')));
  if (missing.length > 0) {
    process.stderr.write(`Not yet: these services have no entry point yet: ${missing.join(', ')}\n`);
    process.exit(1);
  }
  fs.mkdirSync(logDir, { recursive: true });
  await checkPorts();
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  await startInfrastructure();

  say('Seeding demo data (idempotent)');
  serviceNames().forEach(seed);

  say('Starting the services');
  const names = serviceNames();
  for (const [index, name] of names.entries()) {
    const started = Date.now();
    await startService(name, index);
    info(`${name} ready in ${((Date.now() - started) / 1000).toFixed(1)} s (log: .run/logs/${name}.log)`);
  }
  for (const child of children.values()) {
    child.on('exit', () => void stopAll(1));
  }

  const metrics = names.map((name, i) => `${name} http://127.0.0.1:${settings.metricsBasePort + i}/metrics`);
  process.stdout.write(
    [
      '',
      `  Portal:        http://127.0.0.1:${settings.portalPort}/`,
      '  Sign in:       development issuer, as Anna Müller (P0000001) or Mehmet Yılmaz (P0000004)',
      `  gRPC:          registration 127.0.0.1:${settings.grpcPorts.registration}, vehicle :${settings.grpcPorts.vehicle}, appointment :${settings.grpcPorts.appointment}, document :${settings.grpcPorts.document} (plaintext, x-client-id header)`,
      `  Traces:        ${settings.otlpEndpoint ? `OTLP to ${settings.otlpEndpoint}` : 'not exported (set OTEL_EXPORTER_OTLP_ENDPOINT, e.g. the Collector of infra/compose)'}`,
      `  Metrics:       ${metrics.join(', ')}`,
      '  Logs:          .run/logs/<service>.log (JSON, with trace ids)',
      '',
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((error) => {
  process.stderr.write(`error: ${error.message}\n${error.cause ? `  cause: ${error.cause.message ?? error.cause}\n` : ''}`);
  void stopAll(1);
});
