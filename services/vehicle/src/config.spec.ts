import { ConfigError } from '@buergerservice/config';
import { loadSeedConfig, loadServiceConfig } from './config.js';

const base = { MONGO_URL: 'mongodb://127.0.0.1:27017/vehicle', KAFKA_BROKERS: '127.0.0.1:9092' };

describe('vehicle configuration', () => {
  it('reads brokers and database and applies the defaults', () => {
    const config = loadServiceConfig({ ...base, GRPC_INSECURE: 'true' });
    expect(config).toMatchObject({
      PORT: 50052,
      HOST: '127.0.0.1',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_TOPIC_PARTITIONS: 3,
      GRPC_INSECURE: true,
      CONSUMER_GROUP: 'vehicle',
      REGISTRATION_EVENTS_TOPIC: 'registration.events.v1',
      VEHICLE_EVENTS_TOPIC: 'vehicle.events.v1',
      CITY_MUNICIPALITY_KEY: '14713000',
      CITY_DISTRICT_CODE: 'L',
    });
    expect(config.CLIENT_POLICY).toBeUndefined();
  });

  it('fails fast naming the missing variables', () => {
    expect(() => loadServiceConfig({})).toThrow(ConfigError);
    expect(() => loadServiceConfig({})).toThrow(/MONGO_URL[\s\S]*KAFKA_BROKERS|KAFKA_BROKERS[\s\S]*MONGO_URL/);
  });

  it('requires the TLS files unless plaintext is chosen explicitly', () => {
    expect(() => loadServiceConfig(base)).toThrow(/GRPC_TLS_CA[\s\S]*GRPC_TLS_CERT[\s\S]*GRPC_TLS_KEY/);
    expect(
      loadServiceConfig({ ...base, GRPC_TLS_CA: 'ca.pem', GRPC_TLS_CERT: 'vehicle.pem', GRPC_TLS_KEY: 'vehicle.key' })
        .GRPC_INSECURE,
    ).toBe(false);
  });

  it('checks the city settings', () => {
    expect(() => loadServiceConfig({ ...base, GRPC_INSECURE: 'true', CITY_DISTRICT_CODE: 'l' })).toThrow(
      /CITY_DISTRICT_CODE/,
    );
    expect(() => loadServiceConfig({ ...base, GRPC_INSECURE: 'true', CITY_MUNICIPALITY_KEY: '147' })).toThrow(
      /CITY_MUNICIPALITY_KEY/,
    );
  });

  it('the seed needs only the database', () => {
    expect(loadSeedConfig({ MONGO_URL: base.MONGO_URL })).toEqual({ MONGO_URL: base.MONGO_URL });
    expect(() => loadSeedConfig({})).toThrow(/MONGO_URL/);
  });
});
