import { readFileSync } from 'node:fs';
import type { AppLogger } from './app/ports.js';
import type { ServiceConfig } from './config.js';
import { KeyRing, SigningKey } from './domain/signing.js';

/**
 * The signing key from configuration: a PEM file or a base64 seed; or, only
 * when SIGNING_DEV_KEY=true, a random key made now — documents signed with it
 * stop verifying after a restart, so that is logged as loudly as we can.
 */
export function loadKeyRing(
  config: Pick<
    ServiceConfig,
    'SIGNING_KEY_FILE' | 'SIGNING_KEY_SEED' | 'SIGNING_DEV_KEY' | 'SIGNING_PREVIOUS_PUBLIC_KEY_FILES'
  >,
  logger: Pick<AppLogger, 'warn' | 'info'>,
): KeyRing {
  let key: SigningKey;
  if (config.SIGNING_KEY_FILE) {
    key = SigningKey.fromPem(readFileSync(config.SIGNING_KEY_FILE, 'utf8'));
  } else if (config.SIGNING_KEY_SEED) {
    key = SigningKey.fromSeed(Buffer.from(config.SIGNING_KEY_SEED, 'base64'));
  } else if (config.SIGNING_DEV_KEY) {
    key = SigningKey.generate();
    logger.warn(
      { keyId: key.keyId },
      'DEVELOPMENT SIGNING KEY: generated at start because SIGNING_DEV_KEY=true. Documents signed now will NOT verify after a restart. Never use this in production: set SIGNING_KEY_FILE or SIGNING_KEY_SEED.',
    );
  } else {
    throw new Error('no signing key configured');
  }
  const previous = config.SIGNING_PREVIOUS_PUBLIC_KEY_FILES.map((file) =>
    KeyRing.publicKeyFromPem(readFileSync(file, 'utf8')),
  );
  const ring = new KeyRing(key, previous);
  logger.info({ keyId: key.keyId, verifiableKeyIds: ring.keyIds }, 'signing key loaded');
  return ring;
}
