import { ConfigValidationError, loadSignalConfig } from './signal-config';

describe(loadSignalConfig.name, () => {
  it('should give the documented defaults for an empty environment', () => {
    const sut = loadSignalConfig({});

    expect(sut.http.port).toBe(3000);
    expect(sut.database).toEqual({
      url: 'postgres://postgres@127.0.0.1:5432/signal',
      schema: 'public',
      poolSize: 10,
    });
    expect(sut.kafka).toEqual({
      enabled: true,
      brokers: ['127.0.0.1:9092'],
      clientId: 'SIGNAL_NOTIF_CONSUMER',
      groupId: 'SIGNAL_NOTIF_CONSUMER_GROUP',
    });
    expect(sut.rabbitmq.enabled).toBe(true);
    expect(sut.redis.url).toBe('redis://127.0.0.1:6379');
  });

  it('should read and convert every kind of variable', () => {
    const sut = loadSignalConfig({
      PORT: '8080',
      KAFKA_ENABLED: 'false',
      RABBITMQ_ENABLED: '0',
      KAFKA_BROKERS: 'k1:9092, k2:9093',
      APP_ENV_KAFKA_CLIENT_ID: 'custom-client',
      APP_ENV_KAFKA_GROUP_ID: 'custom-group',
      DATABASE_URL: 'postgresql://u:p@db:5432/x',
      DATABASE_SCHEMA: 't_schema_1',
    });

    expect(sut.http.port).toBe(8080);
    expect(sut.kafka).toEqual({
      enabled: false,
      brokers: ['k1:9092', 'k2:9093'],
      clientId: 'custom-client',
      groupId: 'custom-group',
    });
    expect(sut.rabbitmq.enabled).toBe(false);
    expect(sut.database.url).toBe('postgresql://u:p@db:5432/x');
    expect(sut.database.schema).toBe('t_schema_1');
  });

  it('should treat an empty variable as unset', () => {
    expect(loadSignalConfig({ PORT: '' }).http.port).toBe(3000);
  });

  it.each([
    ['DATABASE_URL', 'not-a-url'],
    ['DATABASE_URL', 'mysql://db/x'],
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['KAFKA_BROKERS', 'localhost'],
    ['KAFKA_ENABLED', 'maybe'],
    ['RABBITMQ_URL', 'http://rabbit'],
    ['REDIS_URL', '127.0.0.1:6379'],
    ['NODE_ENV', 'staging'],
    ['DATABASE_SCHEMA', 'Robert"); DROP'],
  ])('should refuse %s=%s naming the variable', (name, value) => {
    expect(() => loadSignalConfig({ [name]: value })).toThrow(ConfigValidationError);
    expect(() => loadSignalConfig({ [name]: value })).toThrow(new RegExp(`- ${name}: `));
  });

  it('should list every bad variable at once without echoing values', () => {
    let caught: unknown;
    try {
      loadSignalConfig({ DATABASE_URL: 'secret-not-a-url', PORT: 'x', REDIS_URL: 'nope' });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(ConfigValidationError);
    const problems = (caught as ConfigValidationError).problems;
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
      'DATABASE_URL',
      'PORT',
      'REDIS_URL',
    ]);
    expect((caught as Error).message).not.toContain('secret-not-a-url');
  });
});
