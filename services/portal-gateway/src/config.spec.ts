import { ConfigError } from '@buergerservice/config';
import { loadServiceConfig } from './config.js';

const base = {
  MONGO_URL: 'mongodb://127.0.0.1:27017/portal-gateway',
  KAFKA_BROKERS: '127.0.0.1:9092',
  OIDC_ISSUER: 'https://id.example/realms/bundid',
  GRPC_TLS_CA: '/tls/ca.crt',
  GRPC_TLS_CERT: '/tls/tls.crt',
  GRPC_TLS_KEY: '/tls/tls.key',
};

describe('portal-gateway configuration', () => {
  it('reads brokers, database and issuer and applies the defaults', () => {
    const config = loadServiceConfig(base);
    expect(config).toMatchObject({
      PORT: 8080,
      HOST: '127.0.0.1',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_CONSUMER_GROUP: 'portal-gateway',
      REGISTRATION_GRPC_ADDRESS: '127.0.0.1:50051',
      DOCUMENT_GRPC_ADDRESS: '127.0.0.1:50054',
      GRPC_INSECURE: false,
      DEV_ISSUER_ENABLED: false,
      OIDC_AUDIENCE: 'buergerservice-portal',
      CORS_ORIGINS: [],
    });
  });

  it('fails fast naming the missing variables', () => {
    expect(() => loadServiceConfig({})).toThrow(ConfigError);
    expect(() => loadServiceConfig({})).toThrow(/MONGO_URL[\s\S]*KAFKA_BROKERS|KAFKA_BROKERS[\s\S]*MONGO_URL/);
  });

  it('needs a real issuer unless the development issuer is explicitly enabled', () => {
    const { OIDC_ISSUER: _, ...withoutIssuer } = base;
    expect(() => loadServiceConfig(withoutIssuer)).toThrow(/OIDC_ISSUER/);
    expect(loadServiceConfig({ ...withoutIssuer, DEV_ISSUER_ENABLED: 'true' }).DEV_ISSUER_ENABLED).toBe(true);
    expect(() => loadServiceConfig({ ...withoutIssuer, DEV_ISSUER_ENABLED: 'maybe' })).toThrow(/DEV_ISSUER_ENABLED/);
  });

  it('needs the mTLS files unless gRPC is explicitly plaintext', () => {
    const { GRPC_TLS_KEY: _, ...withoutKey } = base;
    expect(() => loadServiceConfig(withoutKey)).toThrow(/GRPC_TLS_KEY/);
    expect(loadServiceConfig({ ...withoutKey, GRPC_INSECURE: 'true' }).GRPC_INSECURE).toBe(true);
  });

  it('reads the CORS allowlist and refuses a short stream-ticket secret', () => {
    expect(loadServiceConfig({ ...base, CORS_ORIGINS: 'https://a.example, https://b.example' }).CORS_ORIGINS).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(() => loadServiceConfig({ ...base, STREAM_TICKET_SECRET: 'short' })).toThrow(/STREAM_TICKET_SECRET/);
  });
});
