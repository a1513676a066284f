import { createHash } from 'node:crypto';

/**
 * The idempotency key the gateway sends to an authority for a citizen's
 * request: derived from the citizen's Idempotency-Key and their person id,
 * so that two citizens choosing the same key never collide, and a retry of
 * the same request after a lost answer reaches the same result downstream.
 */
export function authorityIdempotencyKey(personId: string, citizenKey: string, purpose: string): string {
  const digest = createHash('sha256').update(`${purpose}\u0000${personId}\u0000${citizenKey}`).digest('hex');
  return `portal-gateway:${digest}`;
}
