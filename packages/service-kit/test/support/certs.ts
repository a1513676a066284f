import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TlsFiles } from '../../src/security';

/**
 * A throw-away PKI made with the openssl CLI: a CA, a server certificate for
 * localhost/127.0.0.1, client certificates, and a second CA whose clients the
 * server must refuse.
 */
export interface TestPki {
  readonly dir: string;
  readonly server: TlsFiles;
  /** A client certificate with subject CN `cn`, signed by the trusted CA (or by a foreign one). */
  client(cn: string, options?: { foreignCa?: boolean }): TlsFiles;
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

function makeCa(dir: string, name: string): void {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
    ],
    dir,
  );
}

function issue(dir: string, ca: string, name: string, cn: string, extensions: string): void {
  writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.pem`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
      '-days',
      '2',
      '-out',
      `${name}.pem`,
      '-extfile',
      `${name}.ext`,
    ],
    dir,
  );
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(path.join(tmpdir(), 'service-kit-pki-'));
  makeCa(dir, 'ca');
  makeCa(dir, 'foreign-ca');
  issue(dir, 'ca', 'server', 'localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  const files = (name: string, ca: string): TlsFiles => ({
    caFile: path.join(dir, `${ca}.pem`),
    certFile: path.join(dir, `${name}.pem`),
    keyFile: path.join(dir, `${name}.key`),
  });
  return {
    dir,
    server: files('server', 'ca'),
    client(cn, options = {}) {
      const ca = options.foreignCa ? 'foreign-ca' : 'ca';
      const name = `client-${cn}-${ca}`;
      issue(dir, ca, name, cn, `subjectAltName=URI:spiffe://leipzig.test/${cn}\nextendedKeyUsage=clientAuth\n`);
      // The client trusts the real CA (it verifies the server), whoever signed its own certificate.
      return { ...files(name, 'ca') };
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
