import { loadWithDevCredentials, problemsOf } from './config-testing';
import { ConfigValidationError, loadSignalConfig } from './signal-config';

describe(loadSignalConfig.name, () => {
  it('should give the documented defaults for an empty environment', () => {
    const sut = loadWithDevCredentials({});

    expect(sut.http).toEqual({ port: 3000, requestTimeoutMs: 30000, headersTimeoutMs: 10000 });
    expect(sut.database).toEqual({
      url: 'postgres://postgres@127.0.0.1:5432/signal',
      schema: 'public',
      poolSize: 10,
      connectTimeoutMs: 5000,
    });
    expect(sut.kafka).toEqual({
      enabled: true,
      client: 'kafkajs',
      brokers: ['127.0.0.1:9092'],
      clientId: 'SIGNAL_NOTIF_CONSUMER',
      groupId: 'SIGNAL_NOTIF_CONSUMER_GROUP',
      activityTopic: 'signal.activity-notification',
      fromBeginning: false,
      maxAttempts: 5,
      retryInitialMs: 200,
      retryMaxMs: 5000,
      partitionsConcurrency: 3,
      sessionTimeoutMs: 30000,
    });
    expect(sut.gateway).toMatchObject({ replayLimit: 500, replayOverlapMs: 60000 });
    expect(Object.keys(sut.activity.templates)).toEqual(['PAYMENT_SUCCESS']);
    expect(sut.rabbitmq.enabled).toBe(true);
    expect(sut.redis.url).toBe('redis://127.0.0.1:6379');
    expect(sut.phx.unconfiguredActionCodes).toBe('deliver');
  });

  it('should read and convert every kind of variable', () => {
    const sut = loadWithDevCredentials({
      PORT: '8080',
      KAFKA_ENABLED: 'false',
      RABBITMQ_ENABLED: '0',
      KAFKA_BROKERS: 'k1:9092, k2:9093',
      APP_ENV_KAFKA_CLIENT_ID: 'custom-client',
      APP_ENV_KAFKA_GROUP_ID: 'custom-group',
      KAFKA_CLIENT: 'platformatic',
      DATABASE_URL: 'postgresql://u:p@db:5432/x',
      DATABASE_SCHEMA: 't_schema_1',
      PHX_UNCONFIGURED_ACTION_CODES: 'skip',
    });

    expect(sut.http.port).toBe(8080);
    expect(sut.kafka).toMatchObject({
      enabled: false,
      brokers: ['k1:9092', 'k2:9093'],
      clientId: 'custom-client',
      groupId: 'custom-group',
      client: 'platformatic',
    });
    expect(sut.rabbitmq.enabled).toBe(false);
    expect(sut.database.url).toBe('postgresql://u:p@db:5432/x');
    expect(sut.database.schema).toBe('t_schema_1');
    expect(sut.phx.unconfiguredActionCodes).toBe('skip');
  });

  it('should treat an empty variable as unset', () => {
    expect(loadWithDevCredentials({ PORT: '' }).http.port).toBe(3000);
  });

  it.each([
    ['KAFKA_CLIENT', 'confluent'],
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
    ['PHX_UNCONFIGURED_ACTION_CODES', 'drop'],
    ['DEMO_MAIL_CATCHER_URL', 'javascript:alert(1)'],
    ['DEMO_MAIL_CATCHER_URL', '127.0.0.1:1080'],
  ])('should refuse %s=%s naming the variable', (name, value) => {
    expect(() => loadWithDevCredentials({ [name]: value })).toThrow(ConfigValidationError);
    expect(() => loadWithDevCredentials({ [name]: value })).toThrow(new RegExp(`- ${name}: `));
  });

  it('should list every bad variable at once without echoing values', () => {
    let caught: unknown;
    try {
      loadWithDevCredentials({ DATABASE_URL: 'secret-not-a-url', PORT: 'x', REDIS_URL: 'nope' });
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
  it('should judge a rule spanning sections once the sections it reads are sound', () => {
    const overlapBelowSession = {
      KAFKA_SESSION_TIMEOUT_MS: '45000',
      SIGNAL_REPLAY_OVERLAP_MS: '30000',
    };

    expect(problemsOf({ ...overlapBelowSession, KAFKA_BROKERS: 'localhost' })).toEqual([
      'KAFKA_BROKERS: must be a comma-separated list of host:port, e.g. 127.0.0.1:9092',
    ]);
  });
});
