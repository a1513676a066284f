import { generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * An OpenID issuer of a test's own on 127.0.0.1: it signs ES256 bearer tokens
 * for any person of a seeded population, and the gateway verifies them
 * through its production path (OIDC_ISSUER + OIDC_JWKS_URL: signature,
 * issuer, audience, expiry), so a load pays the real cost of verification.
 * The gateway's development issuer only signs for the demo citizens, which a
 * load of hundreds or thousands of households cannot use. Used by the drills
 * and the benchmark. Signed with node:crypto (JWS compact form, P-256 /
 * SHA-256, raw r||s), so the harness needs no JOSE library.
 */
export class TestIssuer {
  private constructor(
    private readonly server: Server,
    private readonly privateKey: KeyObject,
    private readonly kid: string,
    readonly issuer: string,
    readonly jwksUrl: string,
    readonly audience: string,
  ) {}

  static async start(audience = 'buergerservice-portal'): Promise<TestIssuer> {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const kid = randomUUID();
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' };
    const server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      const base = `http://${req.headers.host ?? '127.0.0.1'}`;
      if (req.method === 'GET' && path === '/jwks.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      } else if (req.method === 'GET' && path === '/.well-known/openid-configuration') {
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
    return new TestIssuer(server, privateKey, kid, base, `${base}/jwks.json`, audience);
  }

  /** A bearer token for the person, valid for `ttlSeconds`. */
  async token(personId: string, ttlSeconds = 7_200): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ alg: 'ES256', kid: this.kid, typ: 'JWT' }));
    const payload = base64url(
      JSON.stringify({
        iss: this.issuer,
        aud: this.audience,
        sub: personId,
        jti: randomUUID(),
        iat: now,
        exp: now + ttlSeconds,
      }),
    );
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), {
      key: this.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    return `${header}.${payload}.${base64url(signature)}`;
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
