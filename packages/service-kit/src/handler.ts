import { type Deadline, Metadata, type StatusObject, status } from '@grpc/grpc-js';
import type { Logger } from '@buergerservice/telemetry';
import { type AuthorizationPolicy, authorize, type Grant } from './authorization.js';
import { type ErrorMapper, errorToStatus, RpcError, statusOf, ValidationError } from './errors.js';
import { applyFieldAllowlist, type MessageType } from './field-allowlist.js';

/** What a handler knows about the call besides the request. */
export interface CallContext {
  /** The authenticated client identity (certificate CN under mTLS), already authorized for this RPC. */
  readonly clientId: string;
  /** The gRPC method path, e.g. `/buergerservice.document.v1.DocumentService/GetDocument`. */
  readonly rpc: string;
  /** When the caller stops waiting; undefined if it set no deadline. */
  readonly deadline: Date | undefined;
  readonly metadata: Metadata;
  /** Aborted when the caller cancels or the deadline passes: pass it on to I/O and downstream calls. */
  readonly signal: AbortSignal;
  /** The response fields this client may receive for this RPC (undefined = all). */
  readonly allowedFields: readonly string[] | undefined;
  /**
   * Applies this client's field allowlist for this RPC to the response
   * (a no-op when it has none). A handler of an RPC that any client receives
   * with an allowlist must return its response through this: otherwise the
   * call fails rather than send unminimised data.
   */
  restrictFields<T>(type: MessageType<T>, response: T): T;
}

/** A unary RPC written as a function from request to response; throw kit errors (or mapped domain errors) to fail. */
export type UnaryHandler<Req, Res> = (request: Req, ctx: CallContext) => Promise<Res>;

/** Everything the wrapper needs to know about one incoming call (taken from grpc-js's call object). */
export interface IncomingCall<Req> {
  readonly rpc: string;
  readonly request: Req;
  readonly deadline: Deadline;
  readonly metadata: Metadata;
  /** The identity established by the transport, undefined when none. */
  readonly clientId: string | undefined;
  /** Registers a listener for cancellation by the client or by grpc-js at the deadline. */
  onCancelled(listener: () => void): void;
}

export interface HandlerDeps {
  readonly policy: AuthorizationPolicy;
  readonly mapError?: ErrorMapper | undefined;
  readonly logger: Logger;
}

export type UnaryOutcome<Res> =
  | { readonly ok: true; readonly response: Res }
  | { readonly ok: false; readonly status: StatusObject };

/** setTimeout fires at once for delays beyond this; such deadlines are left to grpc-js. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const UNDECODABLE = Symbol('undecodable request');

/**
 * What the server hands to the handler wrapper when the request bytes do not
 * decode as the RPC's message. grpc-js would answer such a request with
 * INTERNAL ("Error deserializing request"); bad input is the caller's fault,
 * so the wrapper answers INVALID_ARGUMENT instead.
 */
export interface UndecodableRequest {
  readonly [UNDECODABLE]: unknown;
}

export function undecodableRequest(cause: unknown): UndecodableRequest {
  return { [UNDECODABLE]: cause };
}

function isUndecodable(request: unknown): request is UndecodableRequest {
  return typeof request === 'object' && request !== null && UNDECODABLE in request;
}

/**
 * Runs one unary call: deadline check, authorization, the handler with its
 * context, and the mapping of whatever it throws. Never throws itself.
 */
export async function runUnary<Req, Res>(
  handler: UnaryHandler<Req, Res>,
  call: IncomingCall<Req>,
  deps: HandlerDeps,
): Promise<UnaryOutcome<Res>> {
  const { logger } = deps;
  const rpc = call.rpc;
  const deadline = toDate(call.deadline);
  if (deadline && deadline.getTime() <= Date.now()) {
    logger.info({ rpc }, 'rpc deadline passed before the handler ran');
    return failed(status.DEADLINE_EXCEEDED, 'deadline exceeded');
  }

  let grant: Grant;
  try {
    grant = authorize(deps.policy, call.clientId, rpc);
  } catch (error) {
    if (!(error instanceof RpcError)) return { ok: false, status: errorToStatus(error, { logger, rpc }) };
    // Refusals are logged with the caller's identity: an operator needs to see who tried what.
    logger.warn({ rpc, clientId: call.clientId, reason: error.message }, 'rpc refused by the authorization policy');
    return { ok: false, status: statusOf(error) };
  }

  if (isUndecodable(call.request)) {
    logger.info({ rpc, clientId: grant.clientId }, 'rpc request did not decode');
    const error = new ValidationError(
      [{ field: 'request', description: 'is not a valid protobuf encoding of the request message' }],
      { cause: call.request[UNDECODABLE] },
    );
    return { ok: false, status: errorToStatus(error, { logger, rpc }) };
  }

  const abort = new AbortController();
  call.onCancelled(() => abort.abort(new Error('call cancelled by the client or at its deadline')));
  const remaining = deadline ? deadline.getTime() - Date.now() : Number.POSITIVE_INFINITY;
  const timer =
    remaining <= MAX_TIMER_MS ? setTimeout(() => abort.abort(new Error('deadline exceeded')), remaining) : undefined;

  let restricted = false;
  const ctx: CallContext = {
    clientId: grant.clientId,
    rpc,
    deadline,
    metadata: call.metadata,
    signal: abort.signal,
    allowedFields: grant.allowedFields,
    restrictFields(type, response) {
      restricted = true;
      return grant.allowedFields === undefined ? response : applyFieldAllowlist(type, response, grant.allowedFields);
    },
  };

  try {
    const response = await handler(call.request, ctx);
    if (grant.allowedFields !== undefined && !restricted) {
      // Fail closed: the policy promises this client a minimised response.
      logger.error({ rpc, clientId: grant.clientId }, 'handler did not apply the field allowlist; response withheld');
      return failed(status.INTERNAL, 'internal error');
    }
    return { ok: true, response };
  } catch (error) {
    if (abort.signal.aborted) {
      // The caller is gone; grpc-js has already ended the call.
      logger.debug({ rpc, err: error }, 'rpc ended after cancellation');
      return failed(status.CANCELLED, 'cancelled');
    }
    return { ok: false, status: errorToStatus(error, { mapError: deps.mapError, logger, rpc }) };
  } finally {
    clearTimeout(timer);
  }
}

function toDate(deadline: Deadline): Date | undefined {
  if (deadline instanceof Date) return deadline;
  return Number.isFinite(deadline) ? new Date(deadline) : undefined;
}

function failed(code: status, details: string): UnaryOutcome<never> {
  return { ok: false, status: { code, details, metadata: new Metadata() } };
}
