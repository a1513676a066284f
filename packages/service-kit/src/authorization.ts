import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PermissionDeniedError, UnauthenticatedError } from './errors.js';

/**
 * Per-client authorization: which RPCs each client identity may call and,
 * per RPC, which response fields it receives.
 *
 * RPCs are named as in the .proto: the bare method name (`GetPerson`), the
 * fully qualified `buergerservice.registration.v1.RegistrationService/GetPerson`,
 * or a whole service `buergerservice.registration.v1.RegistrationService/*`.
 * `rpcs: '*'` allows every RPC of the server.
 *
 * ```json
 * {
 *   "portal-gateway": { "rpcs": "*" },
 *   "jobcenter": {
 *     "rpcs": ["GetPerson"],
 *     "fields": { "GetPerson": ["person.person_id", "person.name", "person.main_residence.address"] }
 *   }
 * }
 * ```
 */
export interface ClientPermissions {
  readonly rpcs: readonly string[] | '*';
  /** Response field allowlists (see applyFieldAllowlist) per RPC; an RPC without an entry returns every field. */
  readonly fields?: Readonly<Record<string, readonly string[]>> | undefined;
}

export type AuthorizationPolicy = Readonly<Record<string, ClientPermissions>>;

export const authorizationPolicySchema = z.record(
  z.string().min(1),
  z.strictObject({
    rpcs: z.union([z.literal('*'), z.array(z.string().min(1))]),
    fields: z.record(z.string().min(1), z.array(z.string().min(1))).optional(),
  }),
);

/** Validates a policy read from configuration; throws a ZodError naming what is wrong. */
export function parseAuthorizationPolicy(input: unknown): AuthorizationPolicy {
  return authorizationPolicySchema.parse(input);
}

/** Reads and validates a JSON policy file (mounted from a ConfigMap in k8s). */
export function loadAuthorizationPolicy(file: string): AuthorizationPolicy {
  return parseAuthorizationPolicy(JSON.parse(readFileSync(file, 'utf8')));
}

/** What the policy grants one call. */
export interface Grant {
  readonly clientId: string;
  /** The response field allowlist, or undefined when the client receives every field. */
  readonly allowedFields: readonly string[] | undefined;
}

/**
 * Decides one call. `rpcPath` is the gRPC method path
 * (`/buergerservice.registration.v1.RegistrationService/GetPerson`).
 * Throws UnauthenticatedError without an identity and PermissionDeniedError
 * for an unknown client or an RPC it is not allowed.
 */
export function authorize(policy: AuthorizationPolicy, clientId: string | undefined, rpcPath: string): Grant {
  if (clientId === undefined || clientId === '') throw new UnauthenticatedError('no client identity');
  const permissions = Object.hasOwn(policy, clientId) ? policy[clientId] : undefined;
  if (!permissions) throw new PermissionDeniedError(`client ${clientId} is not known`);
  const allowed = permissions.rpcs === '*' || permissions.rpcs.some((rule) => rpcMatches(rule, rpcPath));
  if (!allowed) throw new PermissionDeniedError(`client ${clientId} may not call ${rpcName(rpcPath).method}`);
  const fieldRule = Object.keys(permissions.fields ?? {}).find((rule) => rpcMatches(rule, rpcPath));
  return { clientId, allowedFields: fieldRule === undefined ? undefined : permissions.fields?.[fieldRule] };
}

/** Whether a policy rule names the RPC at `rpcPath`. */
export function rpcMatches(rule: string, rpcPath: string): boolean {
  const { service, method } = rpcName(rpcPath);
  return rule === method || rule === `${service}/${method}` || rule === `${service}/*`;
}

/** Policy rules that name none of `rpcPaths`: most likely typos, which would silently deny. */
export function unmatchedRules(policy: AuthorizationPolicy, rpcPaths: readonly string[]): string[] {
  const rules = Object.values(policy).flatMap((p) => [
    ...(p.rpcs === '*' ? [] : p.rpcs),
    ...Object.keys(p.fields ?? {}),
  ]);
  return [...new Set(rules)].filter((rule) => !rpcPaths.some((path) => rpcMatches(rule, path)));
}

/** Splits `/pkg.Service/Method` into its fully qualified service and method name. */
export function rpcName(rpcPath: string): { service: string; method: string } {
  const trimmed = rpcPath.startsWith('/') ? rpcPath.slice(1) : rpcPath;
  const slash = trimmed.lastIndexOf('/');
  return { service: trimmed.slice(0, slash), method: trimmed.slice(slash + 1) };
}
