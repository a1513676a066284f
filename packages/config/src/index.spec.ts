import { ConfigError, envBool, envInt, envList, envPort, loadConfig, z } from './index.js';

const shape = {
  SERVICE_PORT: envPort().default(50051),
  KAFKA_BROKERS: envList(),
  MONGO_URL: z.string().startsWith('mongodb://'),
  TLS_ENABLED: envBool().default(false),
  RETRIES: envInt({ min: 0, max: 10 }).default(3),
};

describe('loadConfig', () => {
  it('coerces values and applies defaults', () => {
    const config = loadConfig(shape, {
      KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093',
      MONGO_URL: 'mongodb://127.0.0.1:27017/registration',
      TLS_ENABLED: 'yes',
      RETRIES: '',
    });
    expect(config).toEqual({
      SERVICE_PORT: 50051,
      KAFKA_BROKERS: ['127.0.0.1:9092', '127.0.0.1:9093'],
      MONGO_URL: 'mongodb://127.0.0.1:27017/registration',
      TLS_ENABLED: true,
      RETRIES: 3,
    });
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      loadConfig(shape, { SERVICE_PORT: '70000', MONGO_URL: 'http://x', TLS_ENABLED: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(variables).toEqual(['KAFKA_BROKERS', 'MONGO_URL', 'SERVICE_PORT', 'TLS_ENABLED']);
    expect((error as ConfigError).message).toContain('SERVICE_PORT');
  });
});
