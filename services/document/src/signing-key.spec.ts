import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SigningKey } from './domain/signing.js';
import { loadKeyRing } from './signing-key.js';

function logger() {
  const lines: { level: string; fields: object; message: string }[] = [];
  return {
    lines,
    warn: (fields: object, message: string) => {
      lines.push({ level: 'warn', fields, message });
    },
    info: (fields: object, message: string) => {
      lines.push({ level: 'info', fields, message });
    },
  };
}

const none = {
  SIGNING_KEY_FILE: undefined,
  SIGNING_KEY_SEED: undefined,
  SIGNING_DEV_KEY: false,
  SIGNING_PREVIOUS_PUBLIC_KEY_FILES: [],
};

describe('loading the signing key', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'document-keys-'));

  it('reads a PEM file, with earlier public keys for verification', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const file = path.join(dir, 'key.pem');
    writeFileSync(file, String(privateKey.export({ type: 'pkcs8', format: 'pem' })));
    const old = SigningKey.fromSeed(Buffer.alloc(32, 9));
    const oldFile = path.join(dir, 'old.pub.pem');
    writeFileSync(oldFile, old.publicKeyPem);
    const ring = loadKeyRing(
      { ...none, SIGNING_KEY_FILE: file, SIGNING_PREVIOUS_PUBLIC_KEY_FILES: [oldFile] },
      logger(),
    );
    expect(ring.keyIds).toEqual([ring.current.keyId, old.keyId]);
  });

  it('reads a base64 seed', () => {
    const seed = Buffer.alloc(32, 5);
    const ring = loadKeyRing({ ...none, SIGNING_KEY_SEED: seed.toString('base64') }, logger());
    expect(ring.current.keyId).toBe(SigningKey.fromSeed(seed).keyId);
  });

  it('generates a development key only when allowed, and says so loudly', () => {
    const log = logger();
    const ring = loadKeyRing({ ...none, SIGNING_DEV_KEY: true }, log);
    expect(log.lines[0]).toMatchObject({ level: 'warn', fields: { keyId: ring.current.keyId } });
    expect(log.lines[0]?.message).toMatch(/DEVELOPMENT SIGNING KEY[\s\S]*NOT verify after a restart/);
    expect(() => loadKeyRing(none, logger())).toThrow('no signing key configured');
  });
});
