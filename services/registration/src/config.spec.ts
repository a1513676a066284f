import { ConfigError } from '@buergerservice/config';
import { loadServiceConfig } from './config.js';

const minimal = {
  MONGO_URL: 'mongodb://127.0.0.1:27017/registration',
  KAFKA_BROKERS: '127.0.0.1:9092',
  GRPC_INSECURE: 'true',
};

describe('registration configuration', () => {
  it('reads brokers and database and applies the defaults', () => {
    const config = loadServiceConfig(minimal);
    expect(config).toMatchObject({
      PORT: 50051,
      HOST: '127.0.0.1',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_TOPIC_PARTITIONS: 3,
      GRPC_INSECURE: true,
      AUDIT_QUERY_SCOPES: { 'portal-gateway': ['person'], supervisor: ['recipient'] },
      AUDIT_EVENT_RECIPIENTS: ['vehicle', 'document', 'appointment', 'portal-gateway'],
    });
  });

  it('fails fast naming the missing variables', () => {
    expect(() => loadServiceConfig({})).toThrow(ConfigError);
    expect(() => loadServiceConfig({})).toThrow(/MONGO_URL[\s\S]*KAFKA_BROKERS|KAFKA_BROKERS[\s\S]*MONGO_URL/);
  });

  it('requires the mTLS files unless explicitly insecure', () => {
    expect(() => loadServiceConfig({ ...minimal, GRPC_INSECURE: undefined })).toThrow(
      /GRPC_TLS_CA[\s\S]*GRPC_TLS_CERT[\s\S]*GRPC_TLS_KEY/,
    );
    const tls = { GRPC_TLS_CA: 'ca.pem', GRPC_TLS_CERT: 'c.pem', GRPC_TLS_KEY: 'c.key' };
    expect(loadServiceConfig({ ...minimal, GRPC_INSECURE: 'false', ...tls }).GRPC_TLS_CA).toBe('ca.pem');
  });

  it('parses who may list the transmission log by what', () => {
    const config = loadServiceConfig({
      ...minimal,
      AUDIT_QUERY_SCOPES: 'supervisor=recipient+person, hotline-115=person',
    });
    expect(config.AUDIT_QUERY_SCOPES).toEqual({ supervisor: ['recipient', 'person'], 'hotline-115': ['person'] });
    expect(() => loadServiceConfig({ ...minimal, AUDIT_QUERY_SCOPES: 'supervisor=everything' })).toThrow(
      /AUDIT_QUERY_SCOPES/,
    );
  });
});
