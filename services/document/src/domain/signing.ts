import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { DomainError } from './errors.js';

/**
 * The fields a document's signature covers: a flat map of strings. Values
 * are strings so that a verifier in any language reproduces the exact bytes.
 */
export type SignedFields = Readonly<Record<string, string>>;

export const SIGNATURE_ALGORITHM = 'Ed25519';

/**
 * The canonical form that is signed: JSON of the fields with keys sorted by
 * UTF-16 code units (JavaScript's default sort), no whitespace, encoded as
 * UTF-8. For string-only maps this is also RFC 8785 (JCS), so verifiers can
 * use an off-the-shelf JCS implementation.
 */
export function canonicalJson(fields: SignedFields): string {
  // Written member by member rather than through an intermediate object: an
  // assignment to a key such as "__proto__" would change the object's
  // prototype instead of adding a member, and the field would not be signed.
  const members = Object.keys(fields)
    .sort()
    .map((key) => {
      const value = fields[key];
      if (typeof value !== 'string') throw new TypeError(`signed field ${key} is not a string`);
      return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
    });
  return `{${members.join(',')}}`;
}

/** Key id = first 16 bytes of SHA-256 over the public key's SPKI DER, hex: stable across restarts and hosts. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 32);
}

function requireEd25519(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new DomainError('invalid-signing-key', `${what} is not an Ed25519 key (got ${key.asymmetricKeyType})`);
  }
}

/** The private key the service signs with, and the public half it publishes. */
export class SigningKey {
  readonly publicKey: KeyObject;
  readonly keyId: string;
  readonly publicKeyPem: string;

  private constructor(private readonly privateKey: KeyObject) {
    requireEd25519(privateKey, 'the signing key');
    this.publicKey = createPublicKey(privateKey);
    this.keyId = keyIdOf(this.publicKey);
    this.publicKeyPem = String(this.publicKey.export({ type: 'spki', format: 'pem' }));
  }

  /** From a PKCS#8 PEM private key (`openssl genpkey -algorithm ed25519`). */
  static fromPem(pem: string): SigningKey {
    try {
      return new SigningKey(createPrivateKey(pem));
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new DomainError('invalid-signing-key', 'the signing key is not a readable PEM private key', undefined, {
        cause: error,
      });
    }
  }

  /** From a 32-byte Ed25519 seed (the raw private key). */
  static fromSeed(seed: Uint8Array): SigningKey {
    if (seed.length !== 32) {
      throw new DomainError('invalid-signing-key', `an Ed25519 seed has 32 bytes, not ${seed.length}`);
    }
    // PKCS#8 wrapping of a raw Ed25519 private key (RFC 8410): fixed prefix + seed.
    const prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
    return new SigningKey(createPrivateKey({ key: Buffer.concat([prefix, seed]), format: 'der', type: 'pkcs8' }));
  }

  /** A fresh random key, for development only (documents signed with it cannot be verified after a restart). */
  static generate(): SigningKey {
    return new SigningKey(generateKeyPairSync('ed25519').privateKey);
  }

  /** Base64 Ed25519 signature over the canonical form of `fields`. */
  sign(fields: SignedFields): string {
    return sign(null, Buffer.from(canonicalJson(fields), 'utf8'), this.privateKey).toString('base64');
  }
}

/** Checks a signature over `fields` with a public key. */
export function verifySignature(publicKey: KeyObject, fields: SignedFields, signature: string): boolean {
  const bytes = Buffer.from(signature, 'base64');
  // Ed25519 signatures are 64 bytes; anything else is not one (and base64 decoding is lenient).
  if (bytes.length !== 64) return false;
  return verify(null, Buffer.from(canonicalJson(fields), 'utf8'), publicKey, bytes);
}

export type SignatureCheck = 'valid' | 'invalid' | 'unknown-key';

/**
 * The current signing key plus the public keys of earlier ones, so documents
 * signed before a key rotation still verify.
 */
export class KeyRing {
  private readonly keys = new Map<string, KeyObject>();

  constructor(
    readonly current: SigningKey,
    previousPublicKeys: readonly KeyObject[] = [],
  ) {
    this.keys.set(current.keyId, current.publicKey);
    for (const key of previousPublicKeys) {
      requireEd25519(key, 'a previous public key');
      this.keys.set(keyIdOf(key), key);
    }
  }

  /** Parses a PEM public key (SPKI) of an earlier signing key. */
  static publicKeyFromPem(pem: string): KeyObject {
    try {
      const key = createPublicKey(pem);
      requireEd25519(key, 'a previous public key');
      return key;
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new DomainError(
        'invalid-signing-key',
        'a previous public key is not a readable PEM public key',
        undefined,
        {
          cause: error,
        },
      );
    }
  }

  check(keyId: string, fields: SignedFields, signature: string): SignatureCheck {
    const key = this.keys.get(keyId);
    if (!key) return 'unknown-key';
    return verifySignature(key, fields, signature) ? 'valid' : 'invalid';
  }

  get keyIds(): string[] {
    return [...this.keys.keys()];
  }
}
