import { randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { HttpError } from './problem.js';

/**
 * Tickets for the live status stream. EventSource cannot send an
 * Authorization header, and a long-lived bearer token in a URL would end up in
 * proxy logs and browser history. So the page asks, with its bearer token,
 * for a ticket that is valid for one bundle and one minute only, and passes
 * that in the stream's URL. Tickets are HMAC-signed JWTs (shared secret, so
 * any replica accepts them); they are checked when the stream opens.
 */
const AUDIENCE = 'portal-gateway:bundle-stream';

export class StreamTickets {
  private readonly secret: Uint8Array;

  constructor(
    secret: string | undefined,
    private readonly ttlSeconds: number,
  ) {
    this.secret = secret ? new TextEncoder().encode(secret) : randomBytes(32);
  }

  async issue(personId: string, bundleId: string): Promise<{ ticket: string; expiresAt: Date }> {
    const expiresAt = new Date(Date.now() + this.ttlSeconds * 1000);
    const ticket = await new SignJWT({ bid: bundleId })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(AUDIENCE)
      .setSubject(personId)
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.secret);
    return { ticket, expiresAt };
  }

  /** The person the ticket was issued to, if it is valid for this bundle. */
  async verify(ticket: string, bundleId: string): Promise<string> {
    try {
      const { payload } = await jwtVerify(ticket, this.secret, { audience: AUDIENCE, algorithms: ['HS256'] });
      if (payload.bid !== bundleId || typeof payload.sub !== 'string') throw new Error('ticket for another bundle');
      return payload.sub;
    } catch (error) {
      if (error instanceof joseErrors.JOSEError || error instanceof Error) {
        throw new HttpError('unauthenticated', 'The stream ticket is not valid (any more); ask for a new one.', [], {
          cause: error,
        });
      }
      throw error;
    }
  }
}
