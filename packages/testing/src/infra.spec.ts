import { describeFailure, kafkaEnvironment } from './infra.js';

describe('kafkaEnvironment', () => {
  it('gives the local image one listener that advertises its own port, as before the proxy option', () => {
    expect(kafkaEnvironment('local', { port: 40001 })).toEqual({
      KAFKA_ADVERTISED_PORT: '40001',
      KAFKA_ADVERTISED_HOST: '127.0.0.1',
      KAFKA_HEAP_OPTS: '-Xms256m -Xmx512m',
    });
  });

  it('gives the official image one PLAINTEXT listener that advertises its own port', () => {
    const env = kafkaEnvironment('official', { port: 40001 });
    expect(env.KAFKA_LISTENERS).toBe('PLAINTEXT://0.0.0.0:40001,CONTROLLER://127.0.0.1:9093');
    expect(env.KAFKA_ADVERTISED_LISTENERS).toBe('PLAINTEXT://127.0.0.1:40001');
    expect(env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP).toBe('PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT');
  });

  it.each(['local', 'official'] as const)(
    'with a proxied listener, the %s image listens on B and advertises A for it, and keeps the direct one',
    (flavour) => {
      const env = kafkaEnvironment(flavour, { port: 40001, proxied: { listenPort: 40002, advertisedPort: 40003 } });
      expect(env.KAFKA_LISTENERS).toBe('PLAINTEXT://0.0.0.0:40001,PROXIED://0.0.0.0:40002,CONTROLLER://127.0.0.1:9093');
      expect(env.KAFKA_ADVERTISED_LISTENERS).toBe('PLAINTEXT://127.0.0.1:40001,PROXIED://127.0.0.1:40003');
      expect(env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP).toBe(
        'PLAINTEXT:PLAINTEXT,PROXIED:PLAINTEXT,CONTROLLER:PLAINTEXT',
      );
      // Replication and the controller never go through the proxy.
      expect(env.KAFKA_INTER_BROKER_LISTENER_NAME).toBe('PLAINTEXT');
    },
  );
});

describe('describeFailure', () => {
  it('names the causes of a failure, outermost first', () => {
    const failure = new Error('outer', { cause: new Error('middle', { cause: 'container exited (137)' }) });
    expect(describeFailure(failure)).toBe('outer: middle: container exited (137)');
  });

  it('describes a value that is not an error', () => {
    expect(describeFailure('timed out')).toBe('timed out');
  });
});
