import { ConfigError, envBool, envInt, envList, envPort, loadConfig, z } from '@buergerservice/config';

/** The portal-gateway service's configuration, read once at start-up from the environment. */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(
    {
      /** Port of the HTTP server (0 = any free port). */
      PORT: envPort().default(8080),
      /** Interface to bind; loopback unless deployed. */
      HOST: z.string().default('127.0.0.1'),
      /** The service's own database, e.g. mongodb://127.0.0.1:27017/portal-gateway. */
      MONGO_URL: z.string().regex(/^mongodb:\/\//, 'must be a mongodb:// URL'),
      /** Kafka bootstrap brokers, comma-separated host:port. */
      KAFKA_BROKERS: envList().refine((list) => list.length > 0, 'at least one broker'),
      /** Partitions of the event topics when the gateway has to create them. */
      KAFKA_TOPIC_PARTITIONS: envInt({ min: 1, max: 1000 }).default(3),
      /**
       * Consumer group of the request tracker. The service name in every deployment; tests give each
       * run its own group, and a rebuild of the read model resets this group's offsets.
       */
      KAFKA_CONSUMER_GROUP: z.string().min(1).default('portal-gateway'),

      /** gRPC addresses of the authorities. */
      REGISTRATION_GRPC_ADDRESS: z.string().default('127.0.0.1:50051'),
      VEHICLE_GRPC_ADDRESS: z.string().default('127.0.0.1:50052'),
      APPOINTMENT_GRPC_ADDRESS: z.string().default('127.0.0.1:50053'),
      DOCUMENT_GRPC_ADDRESS: z.string().default('127.0.0.1:50054'),
      /** Plaintext gRPC with the identity in `x-client-id` — local development and tests only. */
      GRPC_INSECURE: envBool().default(false),
      /** mTLS files; the certificate's CN is the gateway's client identity ("portal-gateway"). */
      GRPC_TLS_CA: z.string().optional(),
      GRPC_TLS_CERT: z.string().optional(),
      GRPC_TLS_KEY: z.string().optional(),
      /** Deadline of each gRPC call to an authority. */
      GRPC_DEADLINE_MS: envInt({ min: 100, max: 60_000 }).default(5_000),

      /** Issuer (`iss`) of the citizens' bearer tokens; e.g. the state's BundID provider. */
      OIDC_ISSUER: z.string().optional(),
      /** Audience (`aud`) the tokens must be issued for. */
      OIDC_AUDIENCE: z.string().min(1).default('buergerservice-portal'),
      /** JWKS of the issuer; default: `jwks_uri` of `${OIDC_ISSUER}/.well-known/openid-configuration`. */
      OIDC_JWKS_URL: z.url().optional(),
      /** The claim carrying the register's person id of the citizen. */
      OIDC_PERSON_ID_CLAIM: z.string().min(1).default('sub'),
      /**
       * Development issuer inside the gateway (sign-in as a demo citizen without any proof of identity).
       * Never in production: it is off unless explicitly "true".
       */
      DEV_ISSUER_ENABLED: envBool().default(false),
      /** Lifetime of development tokens. */
      DEV_TOKEN_TTL_SECONDS: envInt({ min: 60, max: 86_400 }).default(1_800),

      /**
       * Secret (at least 32 characters) signing the short-lived stream tickets of the live status
       * stream. Shared by all replicas; when unset a random one is made, valid on this instance only.
       */
      STREAM_TICKET_SECRET: z.string().min(32).optional(),
      STREAM_TICKET_TTL_SECONDS: envInt({ min: 5, max: 600 }).default(60),
      /**
       * How soon an open status stream re-reads its bundle after a change (changes applied by other
       * replicas), and the longest wait between re-reads while nothing changes (doubling in between).
       */
      STREAM_POLL_MS: envInt({ min: 100, max: 60_000 }).default(1_000),
      STREAM_MAX_POLL_MS: envInt({ min: 100, max: 300_000 }).default(8_000),

      /** Origins allowed to call the API from a browser (CORS); the page itself is same-origin. */
      CORS_ORIGINS: envList().default([]),
      /** Express `trust proxy`: number of proxies in front (the ingress), so rate limits see the client IP. */
      TRUST_PROXY_HOPS: envInt({ min: 0, max: 10 }).default(0),
      /** Requests per minute per client IP (whole API) and per signed-in citizen. */
      RATE_LIMIT_PER_IP_PER_MINUTE: envInt({ min: 1 }).default(300),
      RATE_LIMIT_PER_CITIZEN_PER_MINUTE: envInt({ min: 1 }).default(120),
      /** Submissions (POST /api/bundles) per citizen per hour. */
      RATE_LIMIT_BUNDLES_PER_HOUR: envInt({ min: 1 }).default(20),
      /** Largest accepted JSON body. */
      BODY_LIMIT_BYTES: envInt({ min: 1_024, max: 1_048_576 }).default(32_768),
      /** How long a stored idempotent response is replayed. */
      IDEMPOTENCY_TTL_HOURS: envInt({ min: 1, max: 720 }).default(24),
      /** Directory of the built web page; default: dist/web next to the code. */
      WEB_ROOT: z.string().optional(),
    },
    env,
  );

  const problems: { variable: string; message: string }[] = [];
  if (!config.DEV_ISSUER_ENABLED && !config.OIDC_ISSUER) {
    problems.push({ variable: 'OIDC_ISSUER', message: 'required unless DEV_ISSUER_ENABLED=true' });
  }
  if (!config.GRPC_INSECURE) {
    for (const variable of ['GRPC_TLS_CA', 'GRPC_TLS_CERT', 'GRPC_TLS_KEY'] as const) {
      if (!config[variable]) problems.push({ variable, message: 'required unless GRPC_INSECURE=true' });
    }
  }
  if (problems.length > 0) {
    const lines = problems.map((p) => `  ${p.variable}: ${p.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`, problems);
  }
  return config;
}

export type ServiceConfig = ReturnType<typeof loadServiceConfig>;
