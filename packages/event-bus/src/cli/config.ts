import { envList, loadConfig, z } from '@buergerservice/config';

/** The dead-letter tool's configuration, from the environment. */
export function loadDlqConfig(env?: Readonly<Record<string, string | undefined>>) {
  return loadConfig(
    {
      KAFKA_BROKERS: envList().refine((list) => list.length > 0, 'at least one broker, e.g. 127.0.0.1:9092'),
      KAFKA_CLIENT_ID: z.string().default('buergerservice-dlq'),
    },
    env,
  );
}
