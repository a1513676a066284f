import { envList, envPort, loadConfig, z } from '@buergerservice/config';

/** The registration service's configuration, read once at start-up from the environment. */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(
    {
      /** Port of the gRPC server (0 = any free port). */
      PORT: envPort().default(50051),
      /** Interface to bind; loopback unless deployed. */
      HOST: z.string().default('127.0.0.1'),
      /** The service's own database, e.g. mongodb://127.0.0.1:27017/registration. */
      MONGO_URL: z.string().regex(/^mongodb:\/\//, 'must be a mongodb:// URL'),
      /** Kafka bootstrap brokers, comma-separated host:port. */
      KAFKA_BROKERS: envList().refine((list) => list.length > 0, 'at least one broker'),
    },
    env,
  );
}

export type ServiceConfig = ReturnType<typeof loadServiceConfig>;
