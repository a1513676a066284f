import type { Logger } from '@buergerservice/telemetry';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import rateLimit from 'express-rate-limit';
import helmet from 'helmet';
import { getBundle } from '../app/get-bundle.js';
import { authenticate, maybeCitizen, type TokenVerifier } from './auth.js';
import type { BundleStreams } from './bundle-streams.js';
import { DEV_ISSUER_PATH, type DevIssuer } from './dev-issuer.js';
import { openApiDocument } from './openapi.js';
import { HttpError, instanceOf, problem, sendProblem, toProblem } from './problem.js';
import { appointmentHandlers } from './routes/appointments.js';
import { bundleHandlers } from './routes/bundles.js';
import type { HandlerDeps, Handlers } from './routes/deps.js';
import { documentHandlers } from './routes/documents.js';
import { operationHandler, type RouteHandler, type RunnerDeps, validated, validateRequest } from './routing.js';
import { type CompiledOperation, RequestValidator } from './validation.js';

export interface HttpLimits {
  readonly CORS_ORIGINS: readonly string[];
  readonly TRUST_PROXY_HOPS: number;
  readonly RATE_LIMIT_PER_IP_PER_MINUTE: number;
  readonly RATE_LIMIT_PER_CITIZEN_PER_MINUTE: number;
  readonly RATE_LIMIT_BUNDLES_PER_HOUR: number;
  readonly BODY_LIMIT_BYTES: number;
}

export interface HttpAppOptions {
  readonly limits: HttpLimits;
  readonly deps: HandlerDeps;
  readonly runner: RunnerDeps;
  readonly verifier: TokenVerifier;
  readonly streams: BundleStreams;
  readonly devIssuer?: DevIssuer | undefined;
  /** Directory of the built web page (index.html and assets/); no page is served when undefined. */
  readonly webRoot?: string | undefined;
  readonly readiness: () => Promise<Record<string, boolean>>;
  readonly logger: Logger;
}

/**
 * The Content-Security-Policy of everything the gateway serves: only its own
 * scripts, styles and API; no inline code, no eval, no framing. The page is
 * built by Vite into separate files, so it needs nothing more.
 */
export const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    manifestSrc: ["'self'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    objectSrc: ["'none'"],
  },
};

/** Operations anyone may call, without a bearer token. */
const PUBLIC_OPERATIONS = new Set(['getPortalConfig', 'verifyDocument', 'streamBundle']);

function toExpressPath(path: string): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}

function cors(allowed: readonly string[]): RequestHandler {
  const origins = new Set(allowed);
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin && origins.has(origin)) {
      res.vary('Origin');
      res.set('access-control-allow-origin', origin);
      res.set(
        'access-control-expose-headers',
        'Location, Retry-After, Idempotent-Replayed, RateLimit, RateLimit-Policy',
      );
      if (req.method === 'OPTIONS') {
        res.set('access-control-allow-methods', 'GET, POST, DELETE');
        res.set('access-control-allow-headers', 'Authorization, Content-Type, Idempotency-Key');
        res.set('access-control-max-age', '600');
        res.status(204).end();
        return;
      }
    } else if (req.method === 'OPTIONS' && origin) {
      // A preflight from an origin not on the list: no CORS headers, so the browser refuses.
      res.status(204).end();
      return;
    }
    next();
  };
}

function limiter(options: { windowMs: number; limit: number; key?: (req: Request) => string; what: string }) {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...(options.key ? { keyGenerator: options.key } : {}),
    handler: (req: Request, res: Response) => {
      sendProblem(
        res,
        problem('rate-limited', `Too many requests ${options.what}; please wait a moment.`, instanceOf(req)),
        { 'retry-after': String(Math.ceil(options.windowMs / 1000)) },
      );
    },
  });
}

/** Builds the gateway's express application: security headers, limits, the API, the dev issuer, the page. */
export function createHttpApp(options: HttpAppOptions): express.Express {
  const { limits, deps, logger } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', limits.TRUST_PROXY_HOPS);
  app.set('etag', false);

  app.use(
    helmet({
      contentSecurityPolicy: CONTENT_SECURITY_POLICY,
      crossOriginEmbedderPolicy: { policy: 'require-corp' },
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );

  app.get(['/healthz', '/livez'], (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks = await options.readiness().catch(() => ({ readiness: false }));
    const ready = Object.values(checks).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not-ready', checks });
  });

  const perIp = limiter({ windowMs: 60_000, limit: limits.RATE_LIMIT_PER_IP_PER_MINUTE, what: 'from your network' });
  const perCitizen = limiter({
    windowMs: 60_000,
    limit: limits.RATE_LIMIT_PER_CITIZEN_PER_MINUTE,
    key: (req) => `citizen:${maybeCitizen(req)?.personId ?? 'anonymous'}`,
    what: 'from your account',
  });
  const bundlesPerCitizen = limiter({
    windowMs: 3_600_000,
    limit: limits.RATE_LIMIT_BUNDLES_PER_HOUR,
    key: (req) => `bundles:${maybeCitizen(req)?.personId ?? 'anonymous'}`,
    what: 'submitting requests',
  });

  const json = express.json({ limit: limits.BODY_LIMIT_BYTES, type: 'application/json', strict: true });
  app.use(['/api', DEV_ISSUER_PATH], cors(limits.CORS_ORIGINS), perIp, json);

  app.get('/api/openapi.json', (_req, res) => {
    res.set('cache-control', 'no-cache').json(openApiDocument);
  });

  if (options.devIssuer) app.use(DEV_ISSUER_PATH, options.devIssuer.router());

  const validator = new RequestValidator(openApiDocument);
  const handlers: Handlers = {
    ...bundleHandlers(deps),
    ...appointmentHandlers(deps),
    ...documentHandlers(deps),
  };
  const auth = authenticate(options.verifier);
  const entries = validator
    .entries()
    // Literal suffixes first: /api/appointments/{id}.ics before /api/appointments/{id}.
    .sort((a, b) => Number(b.path.includes('}.')) - Number(a.path.includes('}.')));
  for (const { method, path, operation } of entries) {
    const compiled = validator.operation(method, path);
    const chain: RequestHandler[] = [];
    const isPublic = PUBLIC_OPERATIONS.has(operation.operationId);
    if (!isPublic) chain.push(auth, perCitizen);
    if (operation.operationId === 'submitBundle') chain.push(bundlesPerCitizen);
    if (operation.operationId === 'streamBundle') {
      chain.push(streamHandler(compiled, options));
    } else {
      const handler: RouteHandler | undefined = handlers[operation.operationId];
      if (!handler) throw new Error(`no handler for operation ${operation.operationId}`);
      chain.push(operationHandler(compiled, handler, options.runner, !isPublic));
    }
    app[method](toExpressPath(path), ...chain);
  }

  app.use(['/api', DEV_ISSUER_PATH], (req, _res, next) => {
    next(new HttpError('not-found', `No operation ${req.method} ${instanceOf(req)}.`));
  });

  if (options.webRoot) {
    app.use(
      express.static(options.webRoot, {
        index: 'index.html',
        fallthrough: true,
        setHeaders: (res, file) => {
          // Hashed asset names may be cached for good; the page itself must be re-checked.
          res.set('cache-control', file.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      }),
    );
  }

  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(new HttpError('not-found', `Nothing at ${instanceOf(req)}.`));
  });

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { problem: body, headers } = toProblem(error, instanceOf(req));
    if (body.status >= 500) logger.error({ err: error, path: instanceOf(req), method: req.method }, 'request failed');
    else logger.info({ status: body.status, code: body.type, path: instanceOf(req) }, 'request refused');
    if (res.headersSent) {
      res.end();
      return;
    }
    sendProblem(res, body, headers);
  });

  return app;
}

/** GET /api/bundles/{id}/events?ticket=…: authorised by the stream ticket instead of a bearer token. */
function streamHandler(compiled: CompiledOperation, options: HttpAppOptions): RequestHandler {
  return async (req, res, next) => {
    try {
      validateRequest(compiled, req);
      const { params, query } = validated<{ bundleId: string }, { ticket: string }>(req);
      const personId = await options.deps.tickets.verify(query.ticket, params.bundleId);
      const bundle = await getBundle(options.deps, { bundleId: params.bundleId, personId });
      options.streams.serve(req, res, bundle);
    } catch (error) {
      next(error);
    }
  };
}
