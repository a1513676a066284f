// Behaviour of the container health probe (infra/compose/image/health-probe.js)
// against real servers on loopback: a grpc-js server with the standard health
// service, plaintext and with mutual TLS (certificates made with openssl, like
// the ones cert-manager issues: CN and DNS name = the service name), and a
// plain HTTP server for the gateway mode. Run: node --test infra/checks/health-probe.test.js
'use strict';

const assert = require('node:assert/strict');
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, it } = require('node:test');

const repo = path.resolve(__dirname, '../..');
// The probe's only dependency, and the test's servers, come from the repository's
// node_modules (npm test installs them before it runs this).
function fromRepo(name) {
  let resolved;
  try {
    resolved = require.resolve(name, { paths: [repo] });
  } catch (cause) {
    throw new Error(`${name} is not installed in ${repo}/node_modules: run npm install first`, { cause });
  }
  return require(resolved);
}
const grpc = fromRepo('@grpc/grpc-js');
const { HealthImplementation } = fromRepo('grpc-health-check');

const probe = path.join(repo, 'infra/compose/image/health-probe.js');

function runProbe(mode, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [probe, mode], {
      env: { PATH: process.env.PATH, HEALTH_PROBE_TIMEOUT_MS: '2000', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

function startGrpc(credentials, status) {
  const server = new grpc.Server();
  const health = new HealthImplementation({ '': status });
  health.addToServer(server);
  return new Promise((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', credentials, (error, port) => {
      if (error) reject(error);
      else resolve({ server, health, port });
    });
  });
}

function openssl(args, cwd) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA and one certificate per name, with CN and DNS SAN = name, server and client usage. */
function makePki(dir, caName, names) {
  fs.mkdirSync(dir, { recursive: true });
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', `/CN=${caName}`, '-keyout', 'ca.key', '-out', 'ca.crt'], dir);
  for (const name of names) {
    fs.writeFileSync(path.join(dir, `${name}.ext`), [
      'basicConstraints=CA:FALSE',
      'keyUsage=digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth,clientAuth',
      `subjectAltName=DNS:${name}`,
    ].join('\n'));
    openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${name}`,
      '-keyout', `${name}.key`, '-out', `${name}.csr`], dir);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1',
      '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir);
  }
  return {
    ca: path.join(dir, 'ca.crt'),
    cert: (name) => path.join(dir, `${name}.crt`),
    key: (name) => path.join(dir, `${name}.key`),
  };
}

describe('gRPC probe, plaintext (GRPC_INSECURE, compose)', () => {
  let target;
  before(async () => {
    target = await startGrpc(grpc.ServerCredentials.createInsecure(), 'SERVING');
  });
  after(() => target.server.forceShutdown());
  const env = () => ({ PORT: String(target.port), GRPC_INSECURE: 'true' });

  it('is ready and alive while the service is SERVING', async () => {
    assert.equal((await runProbe('ready', env())).code, 0);
    assert.equal((await runProbe('live', env())).code, 0);
  });

  it('is alive but not ready while the service is NOT_SERVING', async () => {
    target.health.setStatus('', 'NOT_SERVING');
    const ready = await runProbe('ready', env());
    assert.equal(ready.code, 1);
    assert.match(ready.stderr, /NOT_SERVING/);
    assert.equal((await runProbe('live', env())).code, 0);
    target.health.setStatus('', 'SERVING');
  });

  it('fails both when nothing listens', async () => {
    const closed = await startGrpc(grpc.ServerCredentials.createInsecure(), 'SERVING');
    const port = closed.port;
    closed.server.forceShutdown();
    assert.equal((await runProbe('ready', { PORT: String(port), GRPC_INSECURE: 'true' })).code, 1);
    assert.equal((await runProbe('live', { PORT: String(port), GRPC_INSECURE: 'true' })).code, 1);
  });

  it('fails without PORT', async () => {
    const result = await runProbe('ready', { GRPC_INSECURE: 'true' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /PORT/);
  });
});

describe('gRPC probe, mutual TLS (Kubernetes)', () => {
  let dir;
  let pki;
  let stranger;
  let target;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'health-probe-'));
    pki = makePki(path.join(dir, 'city'), 'Buergerservice gRPC CA', ['registration']);
    stranger = makePki(path.join(dir, 'other'), 'Some other CA', ['registration']);
    const credentials = grpc.ServerCredentials.createSsl(
      fs.readFileSync(pki.ca),
      [{ cert_chain: fs.readFileSync(pki.cert('registration')), private_key: fs.readFileSync(pki.key('registration')) }],
      true,
    );
    target = await startGrpc(credentials, 'SERVING');
  });
  after(() => {
    target.server.forceShutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const tlsEnv = (files) => ({
    PORT: String(target.port),
    OTEL_SERVICE_NAME: 'registration',
    GRPC_TLS_CA: files.ca,
    GRPC_TLS_CERT: files.cert('registration'),
    GRPC_TLS_KEY: files.key('registration'),
  });

  it("is ready with the pod's own certificate, checked against the service name", async () => {
    const result = await runProbe('ready', tlsEnv(pki));
    assert.equal(result.code, 0, result.stderr);
  });

  it('fails with a certificate of another CA (the server demands a client certificate it trusts)', async () => {
    assert.equal((await runProbe('ready', tlsEnv(stranger))).code, 1);
    assert.equal((await runProbe('live', tlsEnv(stranger))).code, 1);
  });

  it('fails when the server name does not match the certificate', async () => {
    const result = await runProbe('ready', { ...tlsEnv(pki), HEALTH_PROBE_SERVER_NAME: 'vehicle' });
    assert.equal(result.code, 1);
  });

  it('names the missing file setting instead of falling back to plaintext', async () => {
    const result = await runProbe('ready', { PORT: String(target.port), GRPC_TLS_CA: pki.ca });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /GRPC_TLS_KEY is not set/);
  });
});

describe('HTTP probe (HEALTH_PROBE=http, portal gateway)', () => {
  let server;
  let port;
  let ready = true;
  before(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/livez') res.writeHead(200).end('ok');
      else if (req.url === '/readyz') res.writeHead(ready ? 200 : 503).end();
      else res.writeHead(404).end();
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = server.address().port;
  });
  after(() => server.close());

  it('follows /readyz and /livez', async () => {
    const env = { PORT: String(port), HEALTH_PROBE: 'http' };
    assert.equal((await runProbe('ready', env)).code, 0);
    ready = false;
    const notReady = await runProbe('ready', env);
    assert.equal(notReady.code, 1);
    assert.match(notReady.stderr, /503/);
    assert.equal((await runProbe('live', env)).code, 0);
  });
});
