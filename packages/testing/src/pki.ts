import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestIdentity {
  /** The identity's common name, e.g. "registration" or "portal-gateway". */
  name: string;
  certFile: string;
  keyFile: string;
}

export interface TestPki {
  dir: string;
  caFile: string;
  identity(name: string): TestIdentity;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * A throw-away certificate authority with one certificate per identity, for
 * mutual TLS in tests. Each certificate has CN=<name> (the client identity
 * the gRPC kit reads) and is valid as a server certificate for localhost and
 * 127.0.0.1. Uses the openssl command line tool (Debian's openssl package).
 */
export function generateTestPki(names: readonly string[], options: { caName?: string } = {}): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'test-pki-'));
  const caName = options.caName ?? 'buergerservice-test-ca';
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${caName}`,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
    ],
    dir,
  );
  const identities = new Map<string, TestIdentity>();
  for (const name of names) {
    const ext = path.join(dir, `${name}.ext`);
    fs.writeFileSync(
      ext,
      [
        'basicConstraints=CA:FALSE',
        'keyUsage=digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth,clientAuth',
        `subjectAltName=DNS:localhost,IP:127.0.0.1,URI:spiffe://buergerservice/${name}`,
      ].join('\n'),
    );
    openssl(
      [
        'req',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-subj',
        `/CN=${name}`,
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
      ],
      dir,
    );
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '2',
        '-extfile',
        ext,
        '-out',
        `${name}.crt`,
      ],
      dir,
    );
    identities.set(name, { name, certFile: path.join(dir, `${name}.crt`), keyFile: path.join(dir, `${name}.key`) });
  }
  return {
    dir,
    caFile: path.join(dir, 'ca.crt'),
    identity(name) {
      const found = identities.get(name);
      if (!found) throw new Error(`No test certificate for ${name}`);
      return found;
    },
  };
}
