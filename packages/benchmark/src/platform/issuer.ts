import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/**
 * The benchmark's own OpenID issuer on 127.0.0.1: it signs bearer tokens
 * for any person of the seeded population, and the gateway verifies them
 * through its production path (OIDC_ISSUER + OIDC_JWKS_URL, signature,
 * issuer, audience, expiry) — so the load pays the real cost of token
 * verification. The gateway's development issuer only signs for the two
 * demo citizens, which a load of thousands of households cannot use.
 */
export class BenchIssuer {
  private constructor(
    private readonly server: Server,
    private readonly privateKey: CryptoKey,
    private readonly kid: string,
    readonly issuer: string,
    readonly jwksUrl: string,
    readonly audience: string,
  ) {}

  static async start(audience = 'buergerservice-portal'): Promise<BenchIssuer> {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const kid = randomUUID();
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
    const server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method === 'GET' && path === '/jwks.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      } else if (req.method === 'GET' && path === '/.well-known/openid-configuration') {
        const base = `http://${req.headers.host ?? '127.0.0.1'}`;
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            issuer: base,
            jwks_uri: `${base}/jwks.json`,
            id_token_signing_alg_values_supported: ['ES256'],
          }),
        );
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const base = `http://127.0.0.1:${port}`;
    return new BenchIssuer(server, privateKey, kid, base, `${base}/jwks.json`, audience);
  }

  /** A bearer token for the person, valid for `ttlSeconds`. */
  async token(personId: string, ttlSeconds = 7_200): Promise<string> {
    return new SignJWT({ bench: true })
      .setProtectedHeader({ alg: 'ES256', kid: this.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(personId)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.privateKey);
  }

  /** The gateway's environment for this issuer. */
  gatewayEnv(): Record<string, string> {
    return {
      DEV_ISSUER_ENABLED: 'false',
      OIDC_ISSUER: this.issuer,
      OIDC_JWKS_URL: this.jwksUrl,
      OIDC_AUDIENCE: this.audience,
    };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
