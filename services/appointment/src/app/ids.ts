import { createHash } from 'node:crypto';

/**
 * An id derived from its parts (SHA-256, formatted as a UUID with version
 * nibble 8, RFC 9562 "custom"). Deriving ids makes retries land on the same
 * document: the same idempotency key, the same move's auto-booking.
 */
export function derivedId(...parts: readonly string[]): string {
  const hex = createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A short fingerprint of a request's content. */
export function fingerprint(content: unknown): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('base64url');
}
