import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config.js';
import { authorityServiceSettings, grpcTlsProblems, loadDatabaseConfig, requireGrpcTls } from './service-settings.js';

const base = { MONGO_URL: 'mongodb://127.0.0.1:27017/vehicle', KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093' };
const tls = { GRPC_TLS_CA: 'ca.pem', GRPC_TLS_CERT: 'server.pem', GRPC_TLS_KEY: 'server.key' };

describe('authorityServiceSettings', () => {
  it('reads the shared settings with their defaults, the port per service', () => {
    expect(loadConfig(authorityServiceSettings({ port: 50052 }), base)).toEqual({
      PORT: 50052,
      HOST: '127.0.0.1',
      MONGO_URL: 'mongodb://127.0.0.1:27017/vehicle',
      KAFKA_BROKERS: ['127.0.0.1:9092', '127.0.0.1:9093'],
      KAFKA_TOPIC_PARTITIONS: 3,
      GRPC_INSECURE: false,
      GRPC_TLS_CA: undefined,
      GRPC_TLS_CERT: undefined,
      GRPC_TLS_KEY: undefined,
      CLIENT_POLICY: undefined,
    });
  });

  it("sits beside the service's own settings in one shape", () => {
    const config = loadConfig(
      { ...authorityServiceSettings({ port: 50053 }), CONSUMER_GROUP: z.string().min(1).default('appointment') },
      { ...base, PORT: '0', GRPC_INSECURE: 'true', CONSUMER_GROUP: 'appointment-test' },
    );
    expect(config).toMatchObject({ PORT: 0, GRPC_INSECURE: true, CONSUMER_GROUP: 'appointment-test' });
  });

  it('names every bad shared variable', () => {
    let error: unknown;
    try {
      loadConfig(authorityServiceSettings({ port: 50051 }), {
        MONGO_URL: 'postgres://x',
        KAFKA_BROKERS: ' , ',
        KAFKA_TOPIC_PARTITIONS: '0',
        PORT: '70000',
        GRPC_INSECURE: 'maybe',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
      'GRPC_INSECURE',
      'KAFKA_BROKERS',
      'KAFKA_TOPIC_PARTITIONS',
      'MONGO_URL',
      'PORT',
    ]);
  });
});

describe('requireGrpcTls', () => {
  it('names each missing TLS file unless plaintext was chosen', () => {
    expect(grpcTlsProblems({ GRPC_INSECURE: false, GRPC_TLS_CERT: 'server.pem' }).map((p) => p.variable)).toEqual([
      'GRPC_TLS_CA',
      'GRPC_TLS_KEY',
    ]);
    expect(() => requireGrpcTls({ GRPC_INSECURE: false })).toThrow(
      /Invalid configuration:\n {2}GRPC_TLS_CA: required unless GRPC_INSECURE=true\n {2}GRPC_TLS_CERT/,
    );
  });

  it('passes with every file or with plaintext chosen explicitly', () => {
    expect(() => requireGrpcTls({ GRPC_INSECURE: false, ...tls })).not.toThrow();
    expect(() => requireGrpcTls({ GRPC_INSECURE: true })).not.toThrow();
  });
});

describe('loadDatabaseConfig', () => {
  it('needs only the database', () => {
    expect(loadDatabaseConfig({ MONGO_URL: base.MONGO_URL, KAFKA_BROKERS: '' })).toEqual({ MONGO_URL: base.MONGO_URL });
    expect(() => loadDatabaseConfig({})).toThrow(/MONGO_URL/);
  });
});
