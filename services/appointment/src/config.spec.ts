import { ConfigError } from '@buergerservice/config';
import { loadSeedConfig, loadServiceConfig } from './config.js';
import { DEFAULT_INTERPRETER_LANGUAGES } from './interpreter-languages.js';

const base = { MONGO_URL: 'mongodb://127.0.0.1:27017/appointment', KAFKA_BROKERS: '127.0.0.1:9092' };

describe('appointment configuration', () => {
  it('reads brokers and database and applies the defaults', () => {
    const config = loadServiceConfig({ ...base, GRPC_INSECURE: 'true' });
    expect(config).toMatchObject({
      PORT: 50053,
      HOST: '127.0.0.1',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_TOPIC_PARTITIONS: 3,
      BOOKING_HORIZON_DAYS: 90,
      MOVE_SERVICE_ID: 'personalausweis-adressaenderung',
      APPOINTMENT_EVENTS_TOPIC: 'appointment.events.v1',
      REGISTRATION_EVENTS_TOPIC: 'registration.events.v1',
      CONSUMER_GROUP: 'appointment',
    });
    expect(config.INTERPRETER_LANGUAGES).toHaveLength(65);
  });

  it('fails fast naming the missing variables', () => {
    expect(() => loadServiceConfig({})).toThrow(ConfigError);
    expect(() => loadServiceConfig({})).toThrow(/MONGO_URL[\s\S]*KAFKA_BROKERS|KAFKA_BROKERS[\s\S]*MONGO_URL/);
  });

  it('requires the TLS files unless plaintext is chosen explicitly', () => {
    expect(() => loadServiceConfig(base)).toThrow(/GRPC_TLS_CA[\s\S]*GRPC_TLS_CERT[\s\S]*GRPC_TLS_KEY/);
    expect(
      loadServiceConfig({ ...base, GRPC_TLS_CA: 'ca.pem', GRPC_TLS_CERT: 'c.pem', GRPC_TLS_KEY: 'c.key' })
        .GRPC_INSECURE,
    ).toBe(false);
  });

  it('checks the interpreter languages', () => {
    expect(
      loadServiceConfig({ ...base, GRPC_INSECURE: 'true', INTERPRETER_LANGUAGES: 'ar, tr' }).INTERPRETER_LANGUAGES,
    ).toEqual(['ar', 'tr']);
    expect(() => loadServiceConfig({ ...base, GRPC_INSECURE: 'true', INTERPRETER_LANGUAGES: 'arabic' })).toThrow(
      /INTERPRETER_LANGUAGES/,
    );
  });

  it('ships 65 distinct ISO 639-1 interpreter languages', () => {
    expect(new Set(DEFAULT_INTERPRETER_LANGUAGES).size).toBe(65);
    for (const code of DEFAULT_INTERPRETER_LANGUAGES) expect(code).toMatch(/^[a-z]{2}$/);
  });

  it('needs only the database to seed', () => {
    expect(loadSeedConfig({ MONGO_URL: base.MONGO_URL })).toEqual({ MONGO_URL: base.MONGO_URL });
  });
});
