/**
 * The gRPC service kit: everything a service's gRPC layer needs besides its
 * handlers, which only map contract <-> use case. See README.md.
 */
export {
  type AuthorizationPolicy,
  authorizationPolicySchema,
  authorize,
  type ClientPermissions,
  type Grant,
  loadAuthorizationPolicy,
  parseAuthorizationPolicy,
  rpcMatches,
  rpcName,
} from './authorization.js';
export {
  type CallSettings,
  type ClientConstructor,
  type CreateClientOptions,
  call,
  createClient,
  DEFAULT_DEADLINE_MS,
  isServiceError,
  type RequestOf,
  type ResponseOf,
  type UnaryClientMethod,
  type UnaryMethodName,
} from './client.js';
export { Database, type DatabaseOptions } from './database/database.js';
export { HeartbeatWatch, heartbeatLimitMs } from './database/heartbeat-watch.js';
export {
  ConflictError,
  type ErrorMapper,
  errorToStatus,
  FIELD_VIOLATIONS_KEY,
  INTERNAL_MESSAGE,
  NotFoundError,
  PermissionDeniedError,
  PreconditionError,
  RpcError,
  readFieldViolations,
  statusOf,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
} from './errors.js';
export { applyFieldAllowlist, type MessageType } from './field-allowlist.js';
export type { CallContext, UnaryHandler } from './handler.js';
export {
  type ClientSecurity,
  CLIENT_ID_HEADER,
  clientIdentity,
  type IdentitySource,
  identityFromCertificate,
  type ServerSecurity,
  type TlsFiles,
} from './security.js';
export {
  createGrpcServer,
  type GeneratedService,
  GrpcServer,
  type GrpcServerOptions,
  type StopOptions,
  type UnaryHandlers,
} from './server.js';
export {
  BAD_REQUEST_TYPE_URL,
  decodeBadRequest,
  decodeRpcStatus,
  encodeBadRequest,
  encodeRpcStatus,
  type FieldViolation,
  type RpcStatus,
  STATUS_DETAILS_KEY,
} from './status-details.js';
export { Violations } from './violations.js';
