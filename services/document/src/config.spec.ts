import { ConfigError } from '@buergerservice/config';
import { loadServiceConfig } from './config.js';

const minimal = {
  MONGO_URL: 'mongodb://127.0.0.1:27017/document',
  KAFKA_BROKERS: '127.0.0.1:9092',
  GRPC_INSECURE: 'true',
  SIGNING_DEV_KEY: 'true',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadServiceConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.variable).sort();
    throw error;
  }
  return [];
}

describe('document configuration', () => {
  it('reads brokers and database and applies the defaults', () => {
    const config = loadServiceConfig(minimal);
    expect(config).toMatchObject({
      PORT: 50054,
      HOST: '127.0.0.1',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_TOPIC_PARTITIONS: 3,
      ISSUING_AUTHORITY: 'Stadt Leipzig',
      SIGNING_PREVIOUS_PUBLIC_KEY_FILES: [],
    });
    expect(config.VERIFICATION_URL).toContain('{code}');
  });

  it('fails fast naming the missing variables', () => {
    expect(() => loadServiceConfig({})).toThrow(ConfigError);
    expect(() => loadServiceConfig({})).toThrow(/MONGO_URL[\s\S]*KAFKA_BROKERS|KAFKA_BROKERS[\s\S]*MONGO_URL/);
  });

  it('requires TLS files unless plaintext is asked for explicitly', () => {
    expect(problemsOf({ ...minimal, GRPC_INSECURE: 'false' })).toEqual([
      'GRPC_TLS_CA',
      'GRPC_TLS_CERT',
      'GRPC_TLS_KEY',
    ]);
    expect(
      problemsOf({ ...minimal, GRPC_INSECURE: 'false', GRPC_TLS_CA: 'ca', GRPC_TLS_CERT: 'c', GRPC_TLS_KEY: 'k' }),
    ).toEqual([]);
  });

  it('requires exactly one signing key source, or the development key explicitly', () => {
    expect(problemsOf({ ...minimal, SIGNING_DEV_KEY: 'false' })).toEqual(['SIGNING_KEY_FILE']);
    expect(problemsOf({ ...minimal, SIGNING_DEV_KEY: '', SIGNING_KEY_SEED: 'AAAA' })).toEqual([]);
    expect(problemsOf({ ...minimal, SIGNING_KEY_FILE: 'k.pem', SIGNING_KEY_SEED: 'AAAA' })).toEqual([
      'SIGNING_KEY_SEED',
    ]);
  });

  it('checks the verification address and the fonts', () => {
    expect(problemsOf({ ...minimal, VERIFICATION_URL: 'https://x.example/verify' })).toEqual(['VERIFICATION_URL']);
    expect(problemsOf({ ...minimal, PDF_FONT_REGULAR: '/f.ttf' })).toEqual(['PDF_FONT_BOLD']);
  });
});
