import { readFileSync } from 'node:fs';
import { descriptorSetPath } from '@buergerservice/contracts';
import { createLogger, type Logger } from '@buergerservice/telemetry';
import {
  type handleUnaryCall,
  Server,
  type ServerOptions,
  type ServerUnaryCall,
  type sendUnaryData,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import { type AuthorizationPolicy, rpcName, unmatchedRules } from './authorization.js';
import type { ErrorMapper } from './errors.js';
import { type IncomingCall, runUnary, type UnaryHandler, undecodableRequest } from './handler.js';
import { reflectionPackage } from './reflection.js';
import { clientIdentity, type ServerSecurity, serverCredentials } from './security.js';

/** A ts-proto `outputServices=grpc-js` service definition, e.g. `document.DocumentServiceService`. */
export type GeneratedService = Readonly<Record<string, GeneratedMethod>>;

interface GeneratedMethod {
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  // Method syntax on purpose: parameters compare bivariantly, so every
  // generated serializer fits; the real types come back in UnaryHandlers.
  requestSerialize(value: unknown): Buffer;
  requestDeserialize(bytes: Buffer): unknown;
  responseSerialize(value: unknown): Buffer;
  responseDeserialize(bytes: Buffer): unknown;
}

/** One `async (request, ctx) => response` per RPC of the service, typed from the generated definition. */
export type UnaryHandlers<S> = {
  readonly [K in keyof S]: S[K] extends {
    requestDeserialize: (bytes: Buffer) => infer Req;
    responseDeserialize: (bytes: Buffer) => infer Res;
  }
    ? UnaryHandler<Req, Res>
    : never;
};

export interface GrpcServerOptions {
  /** mTLS files, or `{ insecure: true }` for local development only. */
  readonly security: ServerSecurity;
  /** Which client may call which RPC and receive which fields. */
  readonly authorization: AuthorizationPolicy;
  /** Interface to bind; loopback unless deployed (then usually `0.0.0.0`). */
  readonly host?: string | undefined;
  /** Maps the service's own (domain) errors to kit errors; unmapped errors become INTERNAL. */
  readonly mapError?: ErrorMapper | undefined;
  readonly logger?: Logger | undefined;
  /** Binary FileDescriptorSet for server reflection; default: every contract of the platform. */
  readonly descriptorSet?: Buffer | undefined;
  /** grpc-js channel options, e.g. `grpc.max_receive_message_length`. */
  readonly serverOptions?: ServerOptions | undefined;
}

export interface StopOptions {
  /** How long in-flight calls may take to finish before they are cancelled. Default 10 s. */
  readonly graceMs?: number | undefined;
  /** How long to answer NOT_SERVING before refusing new calls, so load balancers can take the instance out. Default 0. */
  readonly drainMs?: number | undefined;
}

const HEALTH_SERVICE = 'grpc.health.v1.Health';

/**
 * A gRPC server with the platform's defaults: standard health service,
 * server reflection (grpcurl works), mTLS with per-client authorization,
 * error mapping and graceful shutdown. Add services, then `start`.
 */
export class GrpcServer {
  readonly #server: Server;
  readonly #options: GrpcServerOptions;
  readonly #logger: Logger;
  readonly #services = new Map<string, GeneratedService>();
  readonly #health = new HealthImplementation({ '': 'NOT_SERVING' });
  #state: 'new' | 'starting' | 'serving' | 'stopping' = 'new';
  #stopped: Promise<void> | undefined;

  constructor(options: GrpcServerOptions) {
    this.#options = options;
    this.#logger = options.logger ?? createLogger('grpc-server');
    this.#server = new Server(options.serverOptions);
  }

  /** Registers a service with its handlers. Only before `start`. */
  addService<S extends GeneratedService>(definition: S, handlers: UnaryHandlers<S>): this {
    if (this.#state !== 'new') throw new Error('addService must be called before start');
    const methods = Object.entries(definition);
    const first = methods[0];
    if (!first) throw new Error('service definition has no methods');
    const serviceName = rpcName(first[1].path).service;
    if (this.#services.has(serviceName)) throw new Error(`service ${serviceName} is already registered`);

    const implementation: UntypedServiceImplementation = {};
    for (const [key, method] of methods) {
      if (method.requestStream || method.responseStream) {
        throw new Error(`${method.path}: streaming RPCs are not supported by the service kit`);
      }
      const handler = (handlers as Readonly<Record<string, UnaryHandler<unknown, unknown>>>)[key];
      if (typeof handler !== 'function') throw new Error(`${method.path}: no handler`);
      implementation[key] = this.#unary(handler);
    }
    this.#server.addService(tolerantDecoding(definition), implementation);
    this.#services.set(serviceName, definition);
    return this;
  }

  /** Binds `host:port` (port 0 = any free port), marks every service SERVING, and returns the bound port. */
  async start(port: number): Promise<number> {
    if (this.#state !== 'new') throw new Error('server already started');
    this.#state = 'starting';
    this.#health.addToServer(this.#server);
    this.#addReflection();
    this.#warnAboutPolicy();

    const host = this.#options.host ?? '127.0.0.1';
    const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const credentials = serverCredentials(this.#options.security, this.#logger);
    const bound = await new Promise<number>((resolve, reject) => {
      this.#server.bindAsync(address, credentials, (error, boundPort) => (error ? reject(error) : resolve(boundPort)));
    });
    // stop() may have been called while binding; it must not be undone.
    if (this.#state !== 'starting') return bound;
    this.#setServing('SERVING');
    this.#state = 'serving';
    this.#logger.info({ host, port: bound, services: [...this.#services.keys()] }, 'gRPC server listening');
    return bound;
  }

  /** Marks the started server (and every service) SERVING or NOT_SERVING, e.g. while its database is unreachable. */
  setServing(serving: boolean): void {
    if (this.#state !== 'serving') return;
    this.#setServing(serving ? 'SERVING' : 'NOT_SERVING');
  }

  /**
   * Graceful shutdown: NOT_SERVING at once, refuse new calls after `drainMs`,
   * let in-flight calls finish, and cancel what is still running after `graceMs`.
   */
  stop(options: StopOptions = {}): Promise<void> {
    this.#stopped ??= this.#shutdown(options.graceMs ?? 10_000, options.drainMs ?? 0);
    return this.#stopped;
  }

  async #shutdown(graceMs: number, drainMs: number): Promise<void> {
    this.#setServing('NOT_SERVING');
    this.#state = 'stopping';
    this.#logger.info({ graceMs, drainMs }, 'gRPC server stopping');
    if (drainMs > 0) await new Promise((resolve) => setTimeout(resolve, drainMs));
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.#logger.warn({ graceMs }, 'grace period over: cancelling the calls still running');
        this.#server.forceShutdown();
        resolve();
      }, graceMs);
      this.#server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    this.#logger.info('gRPC server stopped');
  }

  #unary(handler: UnaryHandler<unknown, unknown>): handleUnaryCall<unknown, unknown> {
    const { security, authorization, mapError } = this.#options;
    const deps = { policy: authorization, mapError, logger: this.#logger };
    return (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
      const incoming: IncomingCall<unknown> = {
        rpc: call.getPath(),
        request: call.request,
        deadline: call.getDeadline(),
        metadata: call.metadata,
        clientId: clientIdentity(security, {
          certificate: call.getAuthContext().sslPeerCertificate,
          metadata: call.metadata,
        }),
        onCancelled: (listener) => (call.cancelled ? listener() : call.once('cancelled', listener)),
      };
      // The handler runs inside this callback's async context, so the server
      // span that OpenTelemetry's grpc instrumentation opened stays active.
      runUnary(handler, incoming, deps)
        .then((outcome) => (outcome.ok ? callback(null, outcome.response) : callback(outcome.status)))
        .catch((error: unknown) => this.#logger.error({ err: error, rpc: incoming.rpc }, 'sending the answer failed'));
    };
  }

  #setServing(status: 'SERVING' | 'NOT_SERVING'): void {
    this.#health.setStatus('', status);
    for (const name of this.#services.keys()) this.#health.setStatus(name, status);
  }

  #addReflection(): void {
    const { packageDefinition, services } = reflectionPackage(
      this.#options.descriptorSet ?? readFileSync(descriptorSetPath()),
    );
    const missing = [...this.#services.keys()].filter((name) => !services.includes(name));
    if (missing.length > 0)
      this.#logger.warn({ services: missing }, 'services missing from the reflection descriptors');
    const exposed = [...this.#services.keys(), HEALTH_SERVICE];
    new ReflectionService(packageDefinition, { services: exposed }).addToServer(this.#server);
  }

  #warnAboutPolicy(): void {
    const paths = [...this.#services.values()].flatMap((s) => Object.values(s).map((m) => m.path));
    const unmatched = unmatchedRules(this.#options.authorization, paths);
    if (unmatched.length > 0) {
      this.#logger.warn({ rules: unmatched }, 'authorization rules that name no RPC of this server (typo?)');
    }
  }
}

export function createGrpcServer(options: GrpcServerOptions): GrpcServer {
  return new GrpcServer(options);
}

/**
 * The definition with request decoding that does not throw: bytes that do not
 * decode reach the handler wrapper as an UndecodableRequest, which answers
 * INVALID_ARGUMENT with a field violation (grpc-js itself would answer INTERNAL).
 */
function tolerantDecoding<S extends GeneratedService>(definition: S): S {
  const wrapped: Record<string, unknown> = {};
  for (const [key, method] of Object.entries(definition)) {
    wrapped[key] = {
      ...method,
      requestDeserialize: (bytes: Buffer) => {
        try {
          return method.requestDeserialize(bytes);
        } catch (error) {
          return undecodableRequest(error);
        }
      },
    };
  }
  return wrapped as S;
}
