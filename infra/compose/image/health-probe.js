#!/usr/bin/env node
// Health probe of a service container: the image's HEALTHCHECK (docker compose)
// and the exec probes in k8s run it.
//
//   node /app/health-probe.js ready   exit 0 when the service can serve
//   node /app/health-probe.js live    exit 0 when the process answers at all
//
// gRPC services: calls grpc.health.v1.Health/Check (service "") on
// 127.0.0.1:$PORT. Under mTLS it presents the container's own certificate
// (GRPC_TLS_CA/CERT/KEY) and expects the server name $OTEL_SERVICE_NAME, which
// is in every service certificate. The kubelet's built-in gRPC probe cannot do
// this: it has no client certificate. "ready" needs SERVING; "live" accepts
// any answer, so a service that reports NOT_SERVING (its database is down) is
// taken out of rotation but not restarted.
//
// HTTP services (HEALTH_PROBE=http, the portal gateway): GET /readyz or /livez
// on 127.0.0.1:$PORT, success on 2xx.
//
// Plain CommonJS with only @grpc/grpc-js (a dependency of every service), so it
// runs in the slim runtime image. Exit codes: 0 healthy, 1 not.
'use strict';

const mode = process.argv[2] === 'live' ? 'live' : 'ready';
const env = process.env;
const port = Number(env.PORT);
const timeoutMs = Number(env.HEALTH_PROBE_TIMEOUT_MS || 3000);

function fail(message) {
  process.stderr.write(`health-probe ${mode}: ${message}\n`);
  process.exit(1);
}

if (!Number.isInteger(port) || port <= 0) fail('PORT is not set');

if (env.HEALTH_PROBE === 'http') {
  probeHttp();
} else {
  probeGrpc();
}

function probeHttp() {
  const http = require('node:http');
  const path = mode === 'live' ? '/livez' : '/readyz';
  const request = http.get({ host: '127.0.0.1', port, path, timeout: timeoutMs }, (response) => {
    response.resume();
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) process.exit(0);
    fail(`GET ${path} answered ${status}`);
  });
  request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
  request.on('error', (error) => fail(`GET ${path}: ${error.message}`));
}

function probeGrpc() {
  const fs = require('node:fs');
  const grpc = require('@grpc/grpc-js');

  let credentials;
  const options = {};
  if (env.GRPC_INSECURE === 'true' || env.GRPC_INSECURE === '1' || env.GRPC_INSECURE === 'yes') {
    credentials = grpc.credentials.createInsecure();
  } else {
    const files = ['GRPC_TLS_CA', 'GRPC_TLS_KEY', 'GRPC_TLS_CERT'].map((name) => {
      if (!env[name]) fail(`${name} is not set (and GRPC_INSECURE is not true)`);
      try {
        return fs.readFileSync(env[name]);
      } catch (error) {
        return fail(`cannot read ${name}: ${error.message}`);
      }
    });
    credentials = grpc.credentials.createSsl(files[0], files[1], files[2]);
    const serverName = env.HEALTH_PROBE_SERVER_NAME || env.OTEL_SERVICE_NAME;
    if (serverName) options['grpc.ssl_target_name_override'] = serverName;
  }

  // HealthCheckRequest { service = "" } is the empty message; HealthCheckResponse
  // is field 1 (status, an enum varint): 1 SERVING, 2 NOT_SERVING, 3 SERVICE_UNKNOWN.
  // Encoding by hand keeps the probe free of a protobuf runtime.
  const client = new grpc.Client(`127.0.0.1:${port}`, credentials, options);
  const deadline = new Date(Date.now() + timeoutMs);
  client.makeUnaryRequest(
    '/grpc.health.v1.Health/Check',
    () => Buffer.alloc(0),
    (bytes) => decodeStatus(bytes),
    {},
    new grpc.Metadata(),
    { deadline },
    (error, status) => {
      client.close();
      if (error) fail(`Health/Check failed: ${error.code} ${error.details || error.message}`);
      if (mode === 'live' || status === 1) process.exit(0);
      fail(`status ${statusName(status)}`);
    },
  );
}

function decodeStatus(bytes) {
  // An absent field means the enum's default 0 (UNKNOWN).
  for (let i = 0; i < bytes.length; ) {
    const tag = bytes[i++];
    let value = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[i++];
      value |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
    }
    if (tag === 0x08) return value;
  }
  return 0;
}

function statusName(status) {
  return ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'][status] || String(status);
}
