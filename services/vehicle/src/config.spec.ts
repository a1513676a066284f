import { ConfigError } from '@buergerservice/config';
import { loadServiceConfig } from './config.js';

describe('vehicle configuration', () => {
  it('reads brokers and database and applies the default port', () => {
    const config = loadServiceConfig({
      MONGO_URL: 'mongodb://127.0.0.1:27017/vehicle',
      KAFKA_BROKERS: '127.0.0.1:9092',
    });
    expect(config).toMatchObject({ PORT: 50052, HOST: '127.0.0.1', KAFKA_BROKERS: ['127.0.0.1:9092'] });
  });

  it('fails fast naming the missing variables', () => {
    expect(() => loadServiceConfig({})).toThrow(ConfigError);
    expect(() => loadServiceConfig({})).toThrow(/MONGO_URL[\s\S]*KAFKA_BROKERS|KAFKA_BROKERS[\s\S]*MONGO_URL/);
  });
});
