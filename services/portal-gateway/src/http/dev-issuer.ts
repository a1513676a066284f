import { randomUUID } from 'node:crypto';
import { DEMO_CITIZENS } from '@buergerservice/demo-data';
import { type Request, type Response, Router } from 'express';
import {
  type CryptoKey,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTVerifyGetKey,
  SignJWT,
} from 'jose';
import { HttpError } from './problem.js';

/**
 * A development OpenID issuer inside the gateway, for local use and tests
 * only: it signs tokens for the demo citizens without any proof of identity.
 * It exists only when DEV_ISSUER_ENABLED=true; the gateway then logs a loud
 * warning and the page shows a banner. Its key pair lives in memory and is
 * new on every start.
 *
 *   GET  /dev-issuer/.well-known/openid-configuration
 *   GET  /dev-issuer/jwks.json
 *   GET  /dev-issuer/citizens                     who can sign in (ids and names of the demo citizens)
 *   POST /dev-issuer/token  {"personId":"P0000001"} -> {"access_token", "token_type", "expires_in"}
 */

export const DEV_ISSUER_PATH = '/dev-issuer';
/** Issuer identifier of development tokens (a URN, so it can never be mistaken for a real provider). */
export const DEV_ISSUER = 'urn:buergerservice:dev-issuer';

/** The demo citizens who may sign in (adults with their own sign-in). */
export const DEV_SIGN_IN_CITIZENS = DEMO_CITIZENS.filter((c) => c.personId === 'P0000001' || c.personId === 'P0000004');

export class DevIssuer {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicJwk: JWK,
    readonly audience: string,
    private readonly ttlSeconds: number,
  ) {}

  static async create(audience: string, ttlSeconds: number): Promise<DevIssuer> {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = await exportJWK(publicKey);
    return new DevIssuer(privateKey, { ...jwk, kid: randomUUID(), alg: 'ES256', use: 'sig' }, audience, ttlSeconds);
  }

  get issuer(): string {
    return DEV_ISSUER;
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  /** The verifier's key source: the same JWKS the issuer publishes. */
  keys(): JWTVerifyGetKey {
    return createLocalJWKSet(this.jwks());
  }

  /** Signs a token for a demo citizen; other persons cannot sign in. */
  async issue(personId: string): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }> {
    const citizen = DEV_SIGN_IN_CITIZENS.find((c) => c.personId === personId);
    if (!citizen) {
      throw new HttpError('validation-failed', 'Only the demo citizens can sign in here.', [
        { field: '/personId', message: 'is not a demo citizen', code: 'enum' },
      ]);
    }
    const token = await new SignJWT({ name: `${citizen.givenNames} ${citizen.familyName}`, dev: true })
      .setProtectedHeader({ alg: 'ES256', kid: this.publicJwk.kid ?? '', typ: 'JWT' })
      .setIssuer(DEV_ISSUER)
      .setAudience(this.audience)
      .setSubject(citizen.personId)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.privateKey);
    return { access_token: token, token_type: 'Bearer', expires_in: this.ttlSeconds };
  }

  router(): Router {
    const router = Router();
    router.get('/.well-known/openid-configuration', (req: Request, res: Response) => {
      const base = `${req.protocol}://${req.get('host') ?? 'localhost'}${DEV_ISSUER_PATH}`;
      res.json({
        issuer: DEV_ISSUER,
        jwks_uri: `${base}/jwks.json`,
        token_endpoint: `${base}/token`,
        response_types_supported: ['token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['ES256'],
      });
    });
    router.get('/jwks.json', (_req, res) => {
      res.json(this.jwks());
    });
    router.get('/citizens', (_req, res) => {
      res.json({
        items: DEV_SIGN_IN_CITIZENS.map((c) => ({ personId: c.personId, name: `${c.givenNames} ${c.familyName}` })),
      });
    });
    router.post('/token', async (req, res, next) => {
      try {
        const body: unknown = req.body;
        const personId =
          typeof body === 'object' && body !== null ? (body as { personId?: unknown }).personId : undefined;
        if (typeof personId !== 'string') {
          throw new HttpError('validation-failed', 'Name the demo citizen to sign in as.', [
            { field: '/personId', message: 'is required', code: 'required' },
          ]);
        }
        res.set('cache-control', 'no-store').json(await this.issue(personId));
      } catch (error) {
        next(error);
      }
    });
    return router;
  }
}
