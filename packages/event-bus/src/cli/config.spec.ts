import { ConfigError } from '@buergerservice/config';
import { loadDlqConfig } from './config.js';

describe('dead-letter tool configuration', () => {
  it('reads the brokers from KAFKA_BROKERS', () => {
    expect(loadDlqConfig({ KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093' })).toEqual({
      KAFKA_BROKERS: ['127.0.0.1:9092', '127.0.0.1:9093'],
      KAFKA_CLIENT_ID: 'buergerservice-dlq',
    });
  });

  it('fails fast without brokers', () => {
    expect(() => loadDlqConfig({})).toThrow(ConfigError);
    expect(() => loadDlqConfig({ KAFKA_BROKERS: ' , ' })).toThrow(/KAFKA_BROKERS/);
  });
});
