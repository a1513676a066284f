// Runs the whole platform on this machine: Kafka and the database as
// containers, the event topics, the five services as local Node processes
// with telemetry on, demo data seeded. Started by `npm start`
// (infra/scripts/start.sh), which installs, builds and prepares the engine and
// images first.
//
//   node infra/scripts/run-platform.js              start, run until Ctrl-C
//   node infra/scripts/run-platform.js --preflight  only check the ports (start.sh, before building)
//
// Ctrl-C (SIGINT), SIGTERM or SIGHUP stops the services and removes the
// containers; the data volumes and images stay, so the next start is quick and
// finds the same data. Settings are environment variables (see `settings`).
'use strict';

const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const runDir = path.join(root, '.run');
const logDir = path.join(runDir, 'logs');
const pidFile = path.join(runDir, 'platform.pid');
const startedAt = Date.now();

const say = (message) => process.stderr.write(`\x1b[1m==>\x1b[0m ${message}\n`);
const info = (message) => process.stderr.write(`    ${message}\n`);
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

class UsageError extends Error {}

function portSetting(variable, fallback) {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new UsageError(`${variable}=${raw} is not a port (1-65535)`);
  }
  return port;
}

function countSetting(variable, fallback) {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 4) throw new UsageError(`${variable}=${raw}: a whole number of at least 4`);
  return count;
}

/** Every setting, with its default; override through the environment. */
function readSettings() {
  return {
    portalPort: portSetting('PORTAL_PORT', 8080),
    kafkaPort: portSetting('KAFKA_PORT', 9092),
    mongoPort: portSetting('MONGO_PORT', 27017),
    grpcPorts: {
      registration: portSetting('REGISTRATION_PORT', 50051),
      vehicle: portSetting('VEHICLE_PORT', 50052),
      appointment: portSetting('APPOINTMENT_PORT', 50053),
      document: portSetting('DOCUMENT_PORT', 50054),
    },
    metricsBasePort: portSetting('METRICS_BASE_PORT', 9464),
    seedPersons: countSetting('SEED_PERSONS', 200),
    seedVehicles: countSetting('SEED_VEHICLES', 120),
    otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '',
    logLevel: process.env.LOG_LEVEL ?? 'info',
    engine: process.env.CONTAINER_ENGINE === 'docker' ? 'docker' : 'podman',
  };
}

let settings;

const containers = {
  kafka: { name: 'buergerservice-kafka', volume: 'buergerservice-kafka-data' },
  database: { name: 'buergerservice-database', volume: 'buergerservice-db-data' },
};

/** In start order: the authorities first, the gateway (which calls them) last. */
const serviceNames = ['registration', 'vehicle', 'appointment', 'document', 'portal-gateway'];

function engine(args) {
  return execFileSync(settings.engine, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/**
 * An engine command in a process group of its own, for the stop: Ctrl-C
 * pressed again in the terminal reaches every process of the foreground
 * group, and must not kill the `podman stop` that is removing a container.
 */
function engineDetached(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(settings.engine, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${settings.engine} ${args.join(' ')}: ${signal ?? code} ${stderr.trim()}`)),
    );
  });
}

function engineSucceeds(args) {
  try {
    engine(args);
    return true;
  } catch {
    return false;
  }
}

function readImages() {
  const values = {};
  for (const line of fs.readFileSync(path.join(root, 'infra/images/images.env'), 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) values[match[1]] = match[2];
  }
  return engineSucceeds(['image', 'inspect', values.KAFKA_LOCAL_IMAGE])
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

/** The pid of a platform this script started that is still running, if any. */
function runningPlatform() {
  try {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    if (!Number.isInteger(pid) || pid === process.pid) return undefined;
    process.kill(pid, 0);
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('run-platform.js') ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** `preflight`: before the engine is known, so the containers' ports are left to the real start. */
async function checkPorts({ preflight = false } = {}) {
  const other = runningPlatform();
  if (other) {
    throw new UsageError(
      `the platform is already running (pid ${other}): stop it with Ctrl-C in its terminal or \`kill -INT ${other}\``,
    );
  }
  const wanted = [
    ['PORTAL_PORT', settings.portalPort, 'the portal'],
    ...Object.entries(settings.grpcPorts).map(([name, port]) => [`${name.toUpperCase()}_PORT`, port, name]),
    ...serviceNames.map((name, i) => ['METRICS_BASE_PORT', settings.metricsBasePort + i, `${name} metrics`]),
  ];
  // A container of an earlier run that is still up keeps its port: it is reused.
  if (!preflight && containerState(containers.kafka.name) !== 'running') {
    wanted.push(['KAFKA_PORT', settings.kafkaPort, 'Kafka']);
  }
  if (!preflight && containerState(containers.database.name) !== 'running') {
    wanted.push(['MONGO_PORT', settings.mongoPort, 'the database']);
  }
  const seen = new Map();
  const problems = [];
  for (const [variable, port, what] of wanted) {
    if (seen.has(port)) problems.push(`port ${port} is wanted twice (${seen.get(port)} and ${what}): set ${variable}`);
    seen.set(port, what);
    if (!(await portFree(port))) {
      const example = variable === 'METRICS_BASE_PORT' ? settings.metricsBasePort + 1000 : port + 1000;
      problems.push(`port ${port} (${what}) is taken: set ${variable} to a free port, e.g. ${variable}=${example} npm start`);
    }
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n       '));
}

function startContainer({ name, volume }, image, args) {
  const state = containerState(name);
  if (state === 'running') {
    info(`${name}: already running, reused`);
    return;
  }
  if (state) engine(['rm', '-f', name]);
  const volumeExisted = engineSucceeds(['volume', 'inspect', volume]);
  engine(['run', '-d', '--name', name, '--label', 'buergerservice.platform=local', ...args, image]);
  info(`${name}: started from ${image} (data volume ${volume} ${volumeExisted ? 'reused' : 'created'})`);
}

async function waitFor(what, check, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline && !stopping) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (stopping) throw new Stopped();
  throw new Error(`${what} did not become ready in ${timeoutMs / 1000} s`, { cause: lastError });
}

/** Thrown into the start sequence once a stop began: not an error of its own. */
class Stopped extends Error {}

function fromWorkspace(module, workspace = 'packages/event-bus') {
  return require(require.resolve(module, { paths: [path.join(root, workspace)] }));
}

async function startInfrastructure() {
  const since = Date.now();
  const images = readImages();
  say(`Starting Kafka and the database (${images.official ? 'official' : 'locally built'} images)`);
  startContainer(containers.kafka, images.kafka, [
    '-p',
    `127.0.0.1:${settings.kafkaPort}:${settings.kafkaPort}`,
    '-v',
    `${containers.kafka.volume}:/var/lib/kafka/data`,
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
    images.official ? `${containers.database.volume}:/data/db` : `${containers.database.volume}:/data`,
  ]);

  const { Kafka, logLevel } = fromWorkspace('kafkajs');
  const kafka = new Kafka({
    clientId: 'platform-runner',
    brokers: [`127.0.0.1:${settings.kafkaPort}`],
    logLevel: logLevel.NOTHING,
  });
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
  info(`Kafka ready on 127.0.0.1:${settings.kafkaPort} (${seconds(since)})`);
  const mongoose = fromWorkspace('mongoose');
  await waitFor('the database', async () => {
    const connection = await mongoose
      .createConnection(`mongodb://127.0.0.1:${settings.mongoPort}/admin`, { serverSelectionTimeoutMS: 2_000 })
      .asPromise();
    await connection.close();
    return true;
  });
  info(`database ready on 127.0.0.1:${settings.mongoPort} (${seconds(since)})`);
  return kafka;
}

/**
 * The four event topics, before any service starts: the services create
 * what they publish and consume too, but then the gateway (which reads all
 * four) would depend on the start order. Dead-letter topics are created by
 * their consumer groups.
 */
async function ensureTopics(kafka) {
  const { Topics } = fromWorkspace('@buergerservice/contracts', 'services/portal-gateway');
  const wanted = Object.values(Topics);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })),
      });
    }
    info(`${wanted.join(', ')}: ${missing.length === 0 ? 'present' : `${missing.length} created`}`);
  } finally {
    await admin.disconnect();
  }
}

/** Exactly the variables each service reads (its src/config.ts and the telemetry package's). */
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
    // Plaintext gRPC, the caller named in `x-client-id`: development only.
    GRPC_INSECURE: 'true',
    OTEL_SERVICE_NAME: name,
    METRICS_PORT: String(settings.metricsBasePort + index),
    LOG_LEVEL: settings.logLevel,
  };
  if (settings.otlpEndpoint) env.OTEL_EXPORTER_OTLP_ENDPOINT = settings.otlpEndpoint;
  if (name === 'portal-gateway') {
    Object.assign(env, {
      REGISTRATION_GRPC_ADDRESS: `127.0.0.1:${settings.grpcPorts.registration}`,
      VEHICLE_GRPC_ADDRESS: `127.0.0.1:${settings.grpcPorts.vehicle}`,
      APPOINTMENT_GRPC_ADDRESS: `127.0.0.1:${settings.grpcPorts.appointment}`,
      DOCUMENT_GRPC_ADDRESS: `127.0.0.1:${settings.grpcPorts.document}`,
      // Sign-in as a demo citizen without BundID.
      DEV_ISSUER_ENABLED: 'true',
    });
  }
  if (name === 'document') {
    Object.assign(env, {
      // This machine's development key, kept with the data: documents of earlier starts still verify
      // (SIGNING_DEV_KEY=true would make a new one at every start).
      SIGNING_KEY_FILE: signingKeyFile,
      // The QR code and printed address of each document lead to this portal's verification page.
      VERIFICATION_URL: `http://127.0.0.1:${settings.portalPort}/#/pruefen/{code}`,
    });
  }
  return env;
}

const signingKeyFile = path.join(runDir, 'document-signing-key.pem');

/** An Ed25519 key (PKCS#8 PEM, as `openssl genpkey -algorithm ed25519` writes it), made on the first start. */
function ensureSigningKey() {
  if (fs.existsSync(signingKeyFile)) return;
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  fs.writeFileSync(signingKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  info(`document signing key for development made: ${path.relative(root, signingKeyFile)}`);
}

const children = new Map();

function runSeed(name, index) {
  const script = path.join(root, 'services', name, 'dist', 'seed.js');
  if (!fs.existsSync(script)) return Promise.resolve(false);
  const since = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [script, '--persons', String(settings.seedPersons), '--vehicles', String(settings.seedVehicles)],
      { cwd: path.join(root, 'services', name), env: serviceEnv(name, index), stdio: ['ignore', 'ignore', 'pipe'] },
    );
    children.set(`${name} seed`, child);
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk.toString()).slice(-4_000);
    });
    child.once('close', (code, signal) => {
      children.delete(`${name} seed`);
      if (stopping) reject(new Stopped());
      else if (code === 0) {
        info(`${name}: demo data seeded (${seconds(since)})`);
        resolve(true);
      } else reject(new Error(`seeding ${name} failed (${signal ?? `exit code ${code}`}):\n${stderr}`));
    });
  });
}

function startService(name, index) {
  const cwd = path.join(root, 'services', name);
  const logFile = path.join(logDir, `${name}.log`);
  // The log of the start before stays one more start (e.g. the one that failed).
  if (fs.existsSync(logFile)) fs.renameSync(logFile, path.join(logDir, `${name}.previous.log`));
  const log = fs.openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    ['--enable-source-maps', '--require', '@buergerservice/telemetry/register', 'dist/main.js'],
    { cwd, env: serviceEnv(name, index), stdio: ['ignore', 'pipe', log] },
  );
  children.set(name, child);
  return new Promise((resolve, reject) => {
    let buffered = '';
    let ready = false;
    child.stdout.on('data', (chunk) => {
      fs.writeSync(log, chunk);
      if (ready) return;
      buffered += chunk.toString();
      if (buffered.includes('"msg":"ready"')) {
        ready = true;
        buffered = '';
        resolve();
      }
      if (buffered.length > 100_000) buffered = buffered.slice(-10_000);
    });
    // 'close', not 'exit': only then is everything the service printed read (its `ready`, its last words).
    child.once('close', (code, signal) => {
      children.delete(name);
      const how = signal ? `on ${signal}` : `with code ${code}`;
      if (stopping) {
        // Also when Ctrl-C reached the service directly (the terminal signals the whole process group).
        info(`${name} stopped${code === 0 ? '' : ` (exited ${how})`}`);
        if (!ready) reject(new Stopped());
      } else if (!ready) {
        reject(new Error(`${name} exited ${how} while starting; see .run/logs/${name}.log${logTail(logFile)}`));
      } else {
        process.stderr.write(
          `\x1b[31merror:\x1b[0m ${name} exited ${how}; see .run/logs/${name}.log${logTail(logFile)}\n`,
        );
        void stopAll(1);
      }
    });
  });
}

/** The last warnings, errors and non-JSON lines (a crash's stack) of a service's log, for the terminal. */
function logTail(logFile) {
  try {
    const lines = fs
      .readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((line) => line && (!line.startsWith('{') || /"level":"(warn|error|fatal)"/.test(line)));
    return lines.length === 0 ? '' : `; its last warnings and errors:\n  ${lines.slice(-8).join('\n  ')}`;
  } catch {
    return '';
  }
}

async function waitForPortal() {
  const since = Date.now();
  await waitFor(
    'the portal (GET /readyz: database connected, tracker consuming)',
    async () => (await fetch(`http://127.0.0.1:${settings.portalPort}/readyz`)).ok,
    60_000,
  );
  info(`portal ready: database connected, tracker consuming (${seconds(since)})`);
}

let stopping = false;

/** Every child in `children` has not closed yet: its 'close' (after 'exit' and its output) ends the wait. */
function stopChild(name, child) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      info(`${name} did not stop within 15 s: killed`);
      child.kill('SIGKILL');
    }, 15_000);
    child.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });
}

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  const since = Date.now();
  say('Stopping');
  // The gateway first (it calls the others and consumes their events), then the rest.
  const gateway = children.get('portal-gateway');
  if (gateway) await stopChild('portal-gateway', gateway);
  await Promise.all([...children.entries()].map(([name, child]) => stopChild(name, child)));
  let left = false;
  for (const { name } of Object.values(containers)) {
    const exists = await engineDetached(['inspect', '--format', '{{.Id}}', name]).then(
      () => true,
      () => false,
    );
    if (!exists) continue;
    try {
      // Stop with time for a clean shutdown (Kafka's logs, SQLite), then remove.
      await engineDetached(['stop', '-t', '20', name]);
      await engineDetached(['rm', '-f', name]);
      info(`${name} removed (its data volume is kept)`);
    } catch (error) {
      left = true;
      process.stderr.write(`error: could not remove ${name} (${error.message}); remove it with: ${settings.engine} rm -f ${name}\n`);
    }
  }
  try {
    if (Number(fs.readFileSync(pidFile, 'utf8')) === process.pid) fs.rmSync(pidFile);
  } catch {
    // No pid file: nothing to clean.
  }
  info(`stopped in ${seconds(since)}`);
  process.exit(left ? 1 : code);
}

function banner() {
  const metrics = serviceNames.map((name, i) => `${name} :${settings.metricsBasePort + i}`);
  const lines = [
    '',
    `  Portal:   http://127.0.0.1:${settings.portalPort}/`,
    '  Sign in:  with the development issuer on the portal page, as Anna Müller (P0000001,',
    '            household with Jonas P0000002 and Mia P0000003, car L-AM 2026) or Mehmet Yılmaz (P0000004)',
    `  gRPC:     registration 127.0.0.1:${settings.grpcPorts.registration}, vehicle :${settings.grpcPorts.vehicle}, appointment :${settings.grpcPorts.appointment}, document :${settings.grpcPorts.document}`,
    '            (plaintext; name the caller in the x-client-id header)',
    `  Kafka:    127.0.0.1:${settings.kafkaPort}   database: mongodb://127.0.0.1:${settings.mongoPort}/<service>`,
    `  Traces:   ${settings.otlpEndpoint ? `OTLP/HTTP to ${settings.otlpEndpoint}` : 'recorded, not exported (set OTEL_EXPORTER_OTLP_ENDPOINT to an OTLP/HTTP receiver, e.g. the Collector of infra/compose); trace ids are in the logs'}`,
    `  Metrics:  Prometheus format at http://127.0.0.1:<port>/metrics: ${metrics.join(', ')}`,
    '  Logs:     .run/logs/<service>.log (JSON lines with trace ids)',
    '  Try it:   npm run smoke   (a real browser signs in, submits a move, waits until it is complete)',
    '',
    `  Started in ${seconds(startedAt)}. Ctrl-C stops the services and removes the containers (data volumes stay).`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

async function main() {
  settings = readSettings();
  if (process.argv.includes('--preflight')) {
    await checkPorts({ preflight: true });
    return;
  }
  const missing = serviceNames.filter((name) => !fs.existsSync(path.join(root, 'services', name, 'dist', 'main.js')));
  if (missing.length > 0) {
    throw new UsageError(`not built: ${missing.map((name) => `services/${name}/dist/main.js`).join(', ')} (npm start builds)`);
  }
  await checkPorts();
  fs.mkdirSync(logDir, { recursive: true });
  fs.writeFileSync(pidFile, String(process.pid));
  ensureSigningKey();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stopAll(0));

  const kafka = await startInfrastructure();
  say('Creating the event topics');
  await ensureTopics(kafka);

  say('Seeding demo data (idempotent: an existing register is completed, not duplicated)');
  for (const [index, name] of serviceNames.entries()) await runSeed(name, index);

  say('Starting the services');
  for (const [index, name] of serviceNames.entries()) {
    if (stopping) throw new Stopped();
    const since = Date.now();
    await startService(name, index);
    info(`${name} ready in ${seconds(since)} (log: .run/logs/${name}.log)`);
  }
  await waitForPortal();
  banner();
}

main().catch((error) => {
  if (error instanceof Stopped) return;
  process.stderr.write(`\x1b[31merror:\x1b[0m ${error.message}\n`);
  if (error.cause) process.stderr.write(`  cause: ${error.cause.message ?? error.cause}\n`);
  if (error instanceof UsageError || !settings) process.exit(1);
  void stopAll(1);
});
