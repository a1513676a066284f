import { ConfigError, envBool, envInt, envList, envPort, loadConfig, z } from '@buergerservice/config';
import { parseAuditQueryScopes } from './grpc/policy.js';

/** The consumer groups that read registration.events.v1: each is a receiving body in the transmission log. */
export const DEFAULT_EVENT_RECIPIENTS: readonly string[] = ['vehicle', 'document', 'appointment', 'portal-gateway'];

/** The registration service's configuration, read once at start-up from the environment. */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(
    {
      /** Port of the gRPC server (0 = any free port). */
      PORT: envPort().default(50051),
      /** Interface to bind; loopback unless deployed. */
      HOST: z.string().default('127.0.0.1'),
      /** The service's own database, e.g. mongodb://127.0.0.1:27017/registration. */
      MONGO_URL: z.string().regex(/^mongodb:\/\//, 'must be a mongodb:// URL'),
      /** Kafka bootstrap brokers, comma-separated host:port. */
      KAFKA_BROKERS: envList().refine((list) => list.length > 0, 'at least one broker'),
      /** Partitions of the event topic when the service creates it. */
      KAFKA_TOPIC_PARTITIONS: envInt({ min: 1, max: 1000 }).default(3),
      /** Plaintext gRPC with the client id from the `x-client-id` header: local development and tests only. */
      GRPC_INSECURE: envBool().default(false),
      /** mTLS: CA of the client certificates, the server's certificate and key (PEM files). */
      GRPC_TLS_CA: z.string().optional(),
      GRPC_TLS_CERT: z.string().optional(),
      GRPC_TLS_KEY: z.string().optional(),
      /** JSON file with the per-client authorization policy (service-kit format); unset = the built-in default. */
      CLIENT_POLICY: z.string().optional(),
      /** Who may list the transmission log by what: "client=person|recipient[+…],…". */
      AUDIT_QUERY_SCOPES: z
        .string()
        .default('portal-gateway=person,supervisor=recipient')
        .transform((value, ctx) => {
          try {
            return parseAuditQueryScopes(value);
          } catch (error) {
            ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
            return z.NEVER;
          }
        }),
      /** Bodies that receive every event on the topic (logged per event, BMG §40). */
      AUDIT_EVENT_RECIPIENTS: envList()
        .refine((list) => list.length > 0, 'at least one recipient')
        .default([...DEFAULT_EVENT_RECIPIENTS]),
      /** How often the transmission log is purged of entries past their retention. */
      AUDIT_PURGE_INTERVAL_MS: envInt({ min: 1_000 }).default(300_000),
      /** Pause of the outbox relay when nothing is pending. */
      OUTBOX_POLL_INTERVAL_MS: envInt({ min: 10 }).default(500),
      /** How long in-flight calls may finish on shutdown. */
      SHUTDOWN_GRACE_MS: envInt({ min: 0 }).default(10_000),
    },
    env,
  );
  if (!config.GRPC_INSECURE) {
    const missing = (['GRPC_TLS_CA', 'GRPC_TLS_CERT', 'GRPC_TLS_KEY'] as const).filter((name) => !config[name]);
    if (missing.length > 0) {
      const problems = missing.map((variable) => ({ variable, message: 'required unless GRPC_INSECURE=true' }));
      throw new ConfigError(
        `Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`,
        problems,
      );
    }
  }
  return config;
}

export type ServiceConfig = ReturnType<typeof loadServiceConfig>;

/** The seed command's configuration: only the database. */
export function loadSeedConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig({ MONGO_URL: z.string().regex(/^mongodb:\/\//, 'must be a mongodb:// URL') }, env);
}
