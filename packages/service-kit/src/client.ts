import { createLogger, type Logger } from '@buergerservice/telemetry';
import {
  type CallOptions,
  type ChannelCredentials,
  type ChannelOptions,
  type Client,
  type ClientOptions,
  type ClientUnaryCall,
  type Interceptor,
  InterceptingCall,
  Metadata,
  type ServiceError,
  status,
} from '@grpc/grpc-js';
import { CLIENT_ID_HEADER, type ClientSecurity, channelCredentials } from './security.js';

/** A generated client class, e.g. `registration.RegistrationServiceClient`. */
export type ClientConstructor<C extends Client> = new (
  address: string,
  credentials: ChannelCredentials,
  options?: Partial<ClientOptions>,
) => C;

export interface CreateClientOptions {
  /** mTLS files, or `{ insecure: true, clientId }` for local development only. */
  readonly security: ClientSecurity;
  /** Deadline of every call that sets none itself. Default 5 s. */
  readonly defaultDeadlineMs?: number | undefined;
  readonly channelOptions?: ChannelOptions | undefined;
  readonly logger?: Logger | undefined;
}

export const DEFAULT_DEADLINE_MS = 5_000;

/**
 * Creates a generated client whose every call has a deadline (the default
 * unless the call sets one) and, on plaintext, names the client in
 * `x-client-id`. OpenTelemetry's grpc instrumentation adds trace context to
 * the metadata itself; the interceptor below only adds to what it is given.
 */
export function createClient<C extends Client>(
  Constructor: ClientConstructor<C>,
  address: string,
  options: CreateClientOptions,
): C {
  const logger = options.logger ?? createLogger('grpc-client');
  const { security } = options;
  const defaultDeadlineMs = options.defaultDeadlineMs ?? DEFAULT_DEADLINE_MS;
  const clientId = 'insecure' in security ? security.clientId : undefined;

  const interceptor: Interceptor = (callOptions, nextCall) => {
    const withDeadline =
      callOptions.deadline === undefined ? { ...callOptions, deadline: Date.now() + defaultDeadlineMs } : callOptions;
    return new InterceptingCall(nextCall(withDeadline), {
      start(metadata, listener, next) {
        if (clientId !== undefined) metadata.set(CLIENT_ID_HEADER, clientId);
        next(metadata, listener);
      },
    });
  };

  const tlsName = 'tls' in security ? security.serverNameOverride : undefined;
  const nameOptions: ChannelOptions =
    tlsName === undefined ? {} : { 'grpc.ssl_target_name_override': tlsName, 'grpc.default_authority': tlsName };
  return new Constructor(address, channelCredentials(security, logger), {
    ...options.channelOptions,
    ...nameOptions,
    interceptors: [interceptor],
  });
}

/** The full-argument overload every generated unary client method has. */
export type UnaryClientMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

export type CallSettings = {
  /** Deadline of each attempt. Default: the client's default deadline. */
  readonly deadlineMs?: number | undefined;
  readonly metadata?: Metadata | undefined;
  /** Cancels the call, e.g. the handler's `ctx.signal` when calling downstream. */
  readonly signal?: AbortSignal | undefined;
} & (
  | { readonly idempotent?: false | undefined }
  | {
      /** Only idempotent calls (reads, calls with an idempotency key) may be retried. */
      readonly idempotent: true;
      /** Further attempts after UNAVAILABLE or DEADLINE_EXCEEDED. Default 2. */
      readonly retries?: number | undefined;
      /** First backoff; doubles per attempt (with jitter), capped at 2 s. Default 100 ms. */
      readonly backoffMs?: number | undefined;
    }
);

const RETRYABLE = new Set<number>([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]);
const MAX_BACKOFF_MS = 2_000;

/** Names of the unary methods of a generated client. */
export type UnaryMethodName<C> = {
  [K in keyof C]: C[K] extends UnaryClientMethod<infer _Req, infer _Res> ? K : never;
}[keyof C] &
  string;

/** Request and response type of a generated method (its last overload is the full-argument one). */
export type RequestOf<M> = M extends UnaryClientMethod<infer Req, infer _Res> ? Req : never;
export type ResponseOf<M> = M extends UnaryClientMethod<infer _Req, infer Res> ? Res : never;

/**
 * Calls a unary method and returns a promise of its response:
 * `await call(client, 'getPerson', request, { idempotent: true })`.
 *
 * The client and the method's name are passed apart (not `client.getPerson`)
 * because a generated method loses its `this` when detached.
 */
export async function call<C extends object, K extends UnaryMethodName<C>>(
  client: C,
  method: K,
  request: RequestOf<C[K]>,
  settings: CallSettings = {},
): Promise<ResponseOf<C[K]>> {
  // K admits only keys whose value is a unary method; TypeScript cannot carry
  // that through the indexed access, hence the cast.
  const fn = client[method] as unknown as UnaryClientMethod<RequestOf<C[K]>, ResponseOf<C[K]>>;
  const invoke: UnaryClientMethod<RequestOf<C[K]>, ResponseOf<C[K]>> = (req, metadata, options, callback) =>
    fn.call(client, req, metadata, options, callback);
  const attempts = settings.idempotent === true ? 1 + (settings.retries ?? 2) : 1;
  const backoffMs = settings.idempotent === true ? (settings.backoffMs ?? 100) : 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptCall(invoke, request, settings);
    } catch (error) {
      const retryable = isServiceError(error) && RETRYABLE.has(error.code) && !settings.signal?.aborted;
      if (!retryable || attempt >= attempts) throw error;
      await sleep(jitter(Math.min(backoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS)), settings.signal);
    }
  }
}

function attemptCall<Req, Res>(
  invoke: UnaryClientMethod<Req, Res>,
  request: Req,
  settings: CallSettings,
): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    const options: Partial<CallOptions> =
      settings.deadlineMs === undefined ? {} : { deadline: Date.now() + settings.deadlineMs };
    const metadata = settings.metadata?.clone() ?? new Metadata();
    const pending = invoke(request, metadata, options, (error, response) => {
      settings.signal?.removeEventListener('abort', cancel);
      if (error) reject(error);
      else resolve(response);
    });
    function cancel() {
      pending.cancel();
    }
    if (settings.signal?.aborted) cancel();
    else settings.signal?.addEventListener('abort', cancel, { once: true });
  });
}

export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as Partial<ServiceError>).code === 'number' && 'metadata' in error;
}

/** Half fixed, half random, so that many clients retrying after one outage spread out. */
function jitter(ms: number): number {
  return ms / 2 + Math.random() * (ms / 2);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
