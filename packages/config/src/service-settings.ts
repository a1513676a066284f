import { z } from 'zod';
import {
  ConfigError,
  type ConfigProblem,
  type Env,
  envBool,
  envInt,
  envList,
  envPort,
  loadConfig,
} from './load-config.js';

/** A MongoDB connection string, e.g. mongodb://127.0.0.1:27017/registration. */
export function envMongoUrl() {
  return z.string().regex(/^mongodb:\/\//, 'must be a mongodb:// URL');
}

/** Kafka bootstrap brokers, comma-separated host:port; at least one. */
export function envKafkaBrokers() {
  return envList().refine((list) => list.length > 0, 'at least one broker');
}

/**
 * The settings every authority service (registration, vehicle, appointment,
 * document) reads alike: its gRPC server, its own database, the Kafka
 * cluster, mutual TLS and the per-client authorization policy. A service
 * spreads them into its own shape next to its own settings and calls
 * `requireGrpcTls` on the result:
 *
 *   const config = loadConfig({ ...authorityServiceSettings({ port: 50052 }), CONSUMER_GROUP: … }, env);
 *   requireGrpcTls(config);
 */
export function authorityServiceSettings(defaults: { port: number }) {
  return {
    /** Port of the gRPC server (0 = any free port). */
    PORT: envPort().default(defaults.port),
    /** Interface to bind; loopback unless deployed. */
    HOST: z.string().default('127.0.0.1'),
    /** The service's own database. */
    MONGO_URL: envMongoUrl(),
    KAFKA_BROKERS: envKafkaBrokers(),
    /** Partitions of the topics the service creates when they are missing. */
    KAFKA_TOPIC_PARTITIONS: envInt({ min: 1, max: 1000 }).default(3),
    /** Plaintext gRPC with the client id from the `x-client-id` header: local development and tests only. */
    GRPC_INSECURE: envBool().default(false),
    /** mTLS: the city CA of the client certificates, this server's certificate and key (PEM files). */
    GRPC_TLS_CA: z.string().optional(),
    GRPC_TLS_CERT: z.string().optional(),
    GRPC_TLS_KEY: z.string().optional(),
    /** JSON file with the per-client authorization policy (service-kit format); unset = the service's built-in one. */
    CLIENT_POLICY: z.string().optional(),
  };
}

/** What a command that only touches the service's database needs (the seed commands): `MONGO_URL`. */
export function loadDatabaseConfig(env: Env = process.env): { MONGO_URL: string } {
  return loadConfig({ MONGO_URL: envMongoUrl() }, env);
}

/** The part of a configuration that decides between mutual TLS and plaintext gRPC. */
export interface GrpcTlsSettings {
  readonly GRPC_INSECURE: boolean;
  readonly GRPC_TLS_CA?: string | undefined;
  readonly GRPC_TLS_CERT?: string | undefined;
  readonly GRPC_TLS_KEY?: string | undefined;
}

/** One problem per TLS file that is missing although plaintext was not chosen explicitly. */
export function grpcTlsProblems(config: GrpcTlsSettings): ConfigProblem[] {
  if (config.GRPC_INSECURE) return [];
  return (['GRPC_TLS_CA', 'GRPC_TLS_CERT', 'GRPC_TLS_KEY'] as const)
    .filter((variable) => !config[variable])
    .map((variable) => ({ variable, message: 'required unless GRPC_INSECURE=true' }));
}

/** Fails fast (ConfigError naming each missing file) unless TLS is complete or plaintext chosen explicitly. */
export function requireGrpcTls(config: GrpcTlsSettings): void {
  const problems = grpcTlsProblems(config);
  if (problems.length > 0) throw ConfigError.of(problems);
}
