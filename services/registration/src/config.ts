import { authorityServiceSettings, envInt, envList, loadConfig, requireGrpcTls, z } from '@buergerservice/config';
import { parseAuditQueryScopes } from './grpc/policy.js';

/** The consumer groups that read registration.events.v1: each is a receiving body in the transmission log. */
export const DEFAULT_EVENT_RECIPIENTS: readonly string[] = ['vehicle', 'document', 'appointment', 'portal-gateway'];

/** The registration service's configuration, read once at start-up from the environment. */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(
    {
      /** gRPC server, database (mongodb://…/registration), Kafka, mTLS; CLIENT_POLICY unset = grpc/policy.ts. */
      ...authorityServiceSettings({ port: 50051 }),
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
  requireGrpcTls(config);
  return config;
}

export type ServiceConfig = ReturnType<typeof loadServiceConfig>;

/** What the seed command needs: only the database. */
export { loadDatabaseConfig as loadSeedConfig } from '@buergerservice/config';
