import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import fc from 'fast-check';
import { DomainError } from './errors.js';
import { canonicalJson, KeyRing, keyIdOf, SigningKey, verifySignature } from './signing.js';

const fields = {
  kind: 'registration-confirmation',
  document_number: 'MB-2026-0000001-5',
  family_name: 'Yılmaz',
  given_names: 'Ayşe',
  postal_code: '04155',
  municipality: 'Leipzig',
  move_in_date: '2026-03-01',
  issued_at: '2026-03-02T09:15:00Z',
};

describe('canonical form', () => {
  it('sorts keys and leaves out whitespace', () => {
    expect(canonicalJson({ b: '2', a: '1', ä: '3' })).toBe('{"a":"1","b":"2","ä":"3"}');
  });

  it('keeps a member named __proto__ (found by the property below)', () => {
    const fields = JSON.parse('{"__proto__":"x","b":"y"}') as Record<string, string>;
    expect(canonicalJson(fields)).toBe('{"__proto__":"x","b":"y"}');
  });

  it('does not depend on the order the fields were set in', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), (dict) => {
        const reversed = Object.fromEntries(Object.entries(dict).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(dict));
        expect(JSON.parse(canonicalJson(dict))).toEqual(dict);
      }),
    );
  });

  it('refuses values that are not strings', () => {
    expect(() => canonicalJson({ a: 1 } as unknown as Record<string, string>)).toThrow(TypeError);
  });
});

describe('Ed25519 signing', () => {
  const seed = Buffer.alloc(32, 7);

  it('derives the same key, key id and signature from the same seed (Ed25519 is deterministic)', () => {
    const a = SigningKey.fromSeed(seed);
    const b = SigningKey.fromSeed(Buffer.from(seed));
    expect(a.keyId).toBe(b.keyId);
    expect(a.keyId).toMatch(/^[0-9a-f]{32}$/);
    expect(a.sign(fields)).toBe(b.sign(fields));
    expect(a.publicKeyPem).toContain('BEGIN PUBLIC KEY');
  });

  it('verifies with nothing but the published PEM and the canonical JSON (what an outside verifier does)', () => {
    const key = SigningKey.fromSeed(seed);
    const signature = key.sign(fields);
    const published = createPublicKey(key.publicKeyPem);
    expect(verify(null, Buffer.from(canonicalJson(fields)), published, Buffer.from(signature, 'base64'))).toBe(true);
    expect(keyIdOf(published)).toBe(key.keyId);
  });

  it('rejects any changed field, added field or foreign key', () => {
    const key = SigningKey.fromSeed(seed);
    const signature = key.sign(fields);
    expect(verifySignature(key.publicKey, fields, signature)).toBe(true);
    expect(verifySignature(key.publicKey, { ...fields, postal_code: '04156' }, signature)).toBe(false);
    expect(verifySignature(key.publicKey, { ...fields, extra: '' }, signature)).toBe(false);
    expect(verifySignature(SigningKey.generate().publicKey, fields, signature)).toBe(false);
    expect(verifySignature(key.publicKey, fields, 'AAAA')).toBe(false);
  });

  it('reads PKCS#8 PEM keys and refuses other key types', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = String(privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(SigningKey.fromPem(pem).keyId).toBe(keyIdOf(createPublicKey(privateKey)));
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => SigningKey.fromPem(String(rsa.export({ type: 'pkcs8', format: 'pem' })))).toThrow(DomainError);
    expect(() => SigningKey.fromPem('not a key')).toThrow(DomainError);
    expect(() => SigningKey.fromSeed(Buffer.alloc(31))).toThrow(DomainError);
  });
});

describe('key ring', () => {
  it('verifies documents of the current and of earlier keys, and tells unknown keys apart', () => {
    const old = SigningKey.fromSeed(Buffer.alloc(32, 1));
    const current = SigningKey.fromSeed(Buffer.alloc(32, 2));
    const ring = new KeyRing(current, [KeyRing.publicKeyFromPem(old.publicKeyPem)]);
    expect(ring.check(old.keyId, fields, old.sign(fields))).toBe('valid');
    expect(ring.check(current.keyId, fields, current.sign(fields))).toBe('valid');
    expect(ring.check(current.keyId, fields, old.sign(fields))).toBe('invalid');
    expect(ring.check('0'.repeat(32), fields, current.sign(fields))).toBe('unknown-key');
    expect(ring.keyIds).toEqual([current.keyId, old.keyId]);
  });

  it('refuses a previous key that is not Ed25519', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(() => KeyRing.publicKeyFromPem(String(rsa.export({ type: 'spki', format: 'pem' })))).toThrow(DomainError);
  });
});
