import {
  ConfigValidationError,
  DEVELOPMENT_API_KEY,
  DEVELOPMENT_JWT_SECRET,
  loadSignalConfig,
} from './signal-config';

/** Outside production, with the development credentials for whatever a test leaves unset. */
const load = (env: NodeJS.ProcessEnv) =>
  loadSignalConfig({ SIGNAL_DEV_CREDENTIALS: 'true', ...env });

describe(loadSignalConfig.name, () => {
  it('should give the documented defaults for an empty environment', () => {
    const sut = load({});

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
    const sut = load({
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
    expect(load({ PORT: '' }).http.port).toBe(3000);
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
    expect(() => load({ [name]: value })).toThrow(ConfigValidationError);
    expect(() => load({ [name]: value })).toThrow(new RegExp(`- ${name}: `));
  });

  it('should list every bad variable at once without echoing values', () => {
    let caught: unknown;
    try {
      load({ DATABASE_URL: 'secret-not-a-url', PORT: 'x', REDIS_URL: 'nope' });
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

  describe('auth', () => {
    it('should fall back to named development keys outside production', () => {
      const sut = load({});
      expect(sut.auth.jwt).toEqual({
        algorithm: 'HS256',
        keys: [DEVELOPMENT_JWT_SECRET],
        issuer: null,
        audience: null,
      });
      expect(sut.auth.apiKeys).toEqual([
        { key: DEVELOPMENT_API_KEY, scopes: ['emit', 'producer', 'admin'] },
      ]);
      expect(sut.auth.developmentDefaults).toEqual(['SIGNAL_JWT_SECRET', 'SIGNAL_API_KEYS']);
    });

    it('should stop outside production naming unset credentials unless SIGNAL_DEV_CREDENTIALS=true', () => {
      for (const NODE_ENV of ['development', 'test']) {
        let caught: unknown;
        try {
          loadSignalConfig({ NODE_ENV });
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(ConfigValidationError);
        expect((caught as ConfigValidationError).problems).toEqual([
          'SIGNAL_JWT_SECRET: required (or SIGNAL_DEV_CREDENTIALS=true for the well-known development value, never in production); or set SIGNAL_JWT_PUBLIC_KEY',
          'SIGNAL_API_KEYS: required (or SIGNAL_DEV_CREDENTIALS=true for the well-known development value, never in production)',
        ]);
      }
      expect(() => loadSignalConfig({ SIGNAL_API_KEYS: 'key-one-0123456789' })).toThrow(
        /- SIGNAL_JWT_SECRET: required/,
      );
    });

    it('should use a development value only for what is unset', () => {
      const sut = load({ SIGNAL_JWT_SECRET: 'a-long-enough-secret' });
      expect(sut.auth.jwt.keys).toEqual(['a-long-enough-secret']);
      expect(sut.auth.developmentDefaults).toEqual(['SIGNAL_API_KEYS']);
    });

    it('should refuse SIGNAL_DEV_CREDENTIALS in production', () => {
      expect(() =>
        loadSignalConfig({
          NODE_ENV: 'production',
          SIGNAL_DEV_CREDENTIALS: 'true',
          SIGNAL_JWT_SECRET: 'a-long-enough-secret',
          SIGNAL_API_KEYS: 'key-one-0123456789',
        }),
      ).toThrow('- SIGNAL_DEV_CREDENTIALS: refused in production');
    });

    it('should require a JWT key and API keys in production', () => {
      expect(() => loadSignalConfig({ NODE_ENV: 'production' })).toThrow(
        /- SIGNAL_JWT_SECRET: required in production[\s\S]*- SIGNAL_API_KEYS: required in production/,
      );
    });

    it('should refuse both a secret and a public key', () => {
      expect(() =>
        load({
          SIGNAL_JWT_SECRET: 'a-long-enough-secret',
          SIGNAL_JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\\nabc\\n-----END PUBLIC KEY-----',
        }),
      ).toThrow('- SIGNAL_JWT_SECRET: set either it or SIGNAL_JWT_PUBLIC_KEY, not both');
    });

    it('should read an RS256 public key with escaped newlines and a list of API keys', () => {
      const sut = loadSignalConfig({
        NODE_ENV: 'production',
        SIGNAL_JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\\nabc\\n-----END PUBLIC KEY-----',
        SIGNAL_API_KEYS: 'key-one-0123456789,key-two-0123456789',
      });
      expect(sut.auth.jwt).toEqual({
        algorithm: 'RS256',
        keys: ['-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----'],
        issuer: null,
        audience: null,
      });
      expect(sut.auth.apiKeys).toEqual([
        { key: 'key-one-0123456789', scopes: ['emit', 'producer', 'admin'] },
        { key: 'key-two-0123456789', scopes: ['emit', 'producer', 'admin'] },
      ]);
      expect(sut.auth.developmentDefaults).toEqual([]);
    });

    it('should read scoped API keys, giving the legacy adapter the first key with scope producer', () => {
      const sut = load({
        SIGNAL_API_KEYS:
          'emitter-0123456789:emit,phx-key-0123456789:producer,ops-key-0123456789:admin',
      });
      expect(sut.auth.apiKeys).toEqual([
        { key: 'emitter-0123456789', scopes: ['emit'] },
        { key: 'phx-key-0123456789', scopes: ['producer'] },
        { key: 'ops-key-0123456789', scopes: ['admin'] },
      ]);
      expect(sut.legacy.apiKey).toBe('phx-key-0123456789');
    });

    it('should stop when the legacy adapter has no key that may call the Producer', () => {
      const emitAndAdmin = 'emitter-0123456789:emit,ops-key-0123456789:admin';
      expect(() => load({ SIGNAL_API_KEYS: emitAndAdmin })).toThrow(
        '- LEGACY_PHX_API_KEY: not set, and no key of SIGNAL_API_KEYS has scope producer',
      );
      expect(() =>
        load({ SIGNAL_API_KEYS: emitAndAdmin, LEGACY_PHX_API_KEY: 'ops-key-0123456789' }),
      ).toThrow('- LEGACY_PHX_API_KEY: is a key of SIGNAL_API_KEYS without scope producer');
      expect(
        load({ SIGNAL_API_KEYS: emitAndAdmin, RABBITMQ_ENABLED: 'false' }).auth.apiKeys,
      ).toHaveLength(2);
      expect(
        load({
          SIGNAL_API_KEYS: emitAndAdmin,
          LEGACY_PHX_API_KEY: 'key-of-another-signal-0123',
          LEGACY_PHX_PRODUCER_URL: 'http://signal-b:3000',
        }).legacy.apiKey,
      ).toBe('key-of-another-signal-0123');
    });

    it('should name an unknown scope in SIGNAL_API_KEYS', () => {
      expect(() => load({ SIGNAL_API_KEYS: 'emitter-0123456789:emit+broadcast' })).toThrow(
        '- SIGNAL_API_KEYS: entry 1 has an unknown scope "broadcast" (scopes: emit, producer, admin; none = all)',
      );
    });

    describe('rotation and token claims', () => {
      const pemOf = (name: string) =>
        `-----BEGIN PUBLIC KEY-----\\n${name}\\n-----END PUBLIC KEY-----`;

      it('should verify with the current key first, then the previous one, of one algorithm', () => {
        expect(
          load({
            SIGNAL_JWT_SECRET: 'the-new-secret-0123456789',
            SIGNAL_JWT_PREVIOUS_SECRET: 'the-old-secret-0123456789',
          }).auth.jwt,
        ).toEqual({
          algorithm: 'HS256',
          keys: ['the-new-secret-0123456789', 'the-old-secret-0123456789'],
          issuer: null,
          audience: null,
        });
        expect(
          load({
            SIGNAL_JWT_PUBLIC_KEY: pemOf('new'),
            SIGNAL_JWT_PREVIOUS_PUBLIC_KEY: pemOf('old'),
          }).auth.jwt.keys,
        ).toEqual([
          '-----BEGIN PUBLIC KEY-----\nnew\n-----END PUBLIC KEY-----',
          '-----BEGIN PUBLIC KEY-----\nold\n-----END PUBLIC KEY-----',
        ]);
      });

      it('should refuse a previous key without a current one of its algorithm', () => {
        expect(() => load({ SIGNAL_JWT_PREVIOUS_SECRET: 'the-old-secret-0123456789' })).toThrow(
          '- SIGNAL_JWT_PREVIOUS_SECRET: only beside SIGNAL_JWT_SECRET, the key it is being replaced by (a rotation keeps the algorithm, HS256)',
        );
        expect(() =>
          load({
            SIGNAL_JWT_PUBLIC_KEY: pemOf('new'),
            SIGNAL_JWT_PREVIOUS_SECRET: 'the-old-secret-0123456789',
          }),
        ).toThrow('- SIGNAL_JWT_PREVIOUS_SECRET: only beside SIGNAL_JWT_SECRET');
        expect(() =>
          load({
            SIGNAL_JWT_SECRET: 'the-new-secret-0123456789',
            SIGNAL_JWT_PREVIOUS_PUBLIC_KEY: pemOf('old'),
          }),
        ).toThrow(
          '- SIGNAL_JWT_PREVIOUS_PUBLIC_KEY: only beside SIGNAL_JWT_PUBLIC_KEY, the key it is being replaced by (a rotation keeps the algorithm, RS256)',
        );
      });

      it('should refuse a previous key equal to the current one', () => {
        expect(() =>
          load({
            SIGNAL_JWT_SECRET: 'the-new-secret-0123456789',
            SIGNAL_JWT_PREVIOUS_SECRET: 'the-new-secret-0123456789',
          }),
        ).toThrow(
          '- SIGNAL_JWT_PREVIOUS_SECRET: is SIGNAL_JWT_SECRET itself; leave it empty when not rotating',
        );
      });

      it('should read the issuer and audience to check', () => {
        const sut = load({
          SIGNAL_JWT_ISSUER: 'https://auth.example',
          SIGNAL_JWT_AUDIENCE: 'signal',
        });
        expect(sut.auth.jwt).toMatchObject({ issuer: 'https://auth.example', audience: 'signal' });
      });
    });

    it.each([
      ['SIGNAL_JWT_SECRET', 'short'],
      ['SIGNAL_JWT_PUBLIC_KEY', 'not a pem'],
      ['SIGNAL_JWT_PREVIOUS_SECRET', 'short'],
      ['SIGNAL_JWT_PREVIOUS_PUBLIC_KEY', 'not a pem'],
      ['SIGNAL_JWT_ISSUER', 'two words'],
      ['SIGNAL_JWT_AUDIENCE', 'x'.repeat(1001)],
      ['SIGNAL_API_KEYS', 'ok-key-0123456789,short'],
    ])('should refuse %s=%s', (name, value) => {
      expect(() => load({ [name]: value })).toThrow(new RegExp(`- ${name}: `));
    });
  });

  describe('activity notifications', () => {
    it('should merge configured templates over the built-in ones', () => {
      const sut = load({
        ACTIVITY_NOTIFICATION_TEMPLATES: JSON.stringify({
          REFUND_DONE: { content: '{actor.name} refunded {data.amount}' },
          PAYMENT_SUCCESS: { content: 'paid', actionUrl: null },
        }),
      });
      expect(sut.activity.templates).toEqual({
        PAYMENT_SUCCESS: { content: 'paid', actionUrl: null },
        REFUND_DONE: { content: '{actor.name} refunded {data.amount}', actionUrl: null },
      });
    });

    it.each([
      ['{not json', 'must be JSON'],
      ['[]', 'must be an object'],
      ['{"lower":{"content":"x"}}', 'event type "lower" must be UPPER_SNAKE_CASE'],
      ['{"A":{"content":""}}', 'A.content must be a non-empty string'],
      ['{"A":{"content":"x","actionUrl":5}}', 'A.actionUrl must be a string or null'],
    ])('should refuse templates %s', (json, message) => {
      expect(() => load({ ACTIVITY_NOTIFICATION_TEMPLATES: json })).toThrow(
        `- ACTIVITY_NOTIFICATION_TEMPLATES: ${message}`,
      );
    });

    it('should refuse a headers timeout above the request timeout', () => {
      expect(() =>
        loadSignalConfig({ HTTP_HEADERS_TIMEOUT_MS: '40000', HTTP_REQUEST_TIMEOUT_MS: '30000' }),
      ).toThrow('- HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS');
    });

    it('should refuse a first retry delay above the cap', () => {
      expect(() => load({ KAFKA_RETRY_INITIAL_MS: '6000', KAFKA_RETRY_MAX_MS: '5000' })).toThrow(
        '- KAFKA_RETRY_INITIAL_MS: must not exceed KAFKA_RETRY_MAX_MS',
      );
      expect(() => load({ PHX_RETRY_INITIAL_MS: '90000', PHX_RETRY_MAX_MS: '60000' })).toThrow(
        '- PHX_RETRY_INITIAL_MS: must not exceed PHX_RETRY_MAX_MS',
      );
    });

    it('should refuse a replay overlap shorter than the Kafka session timeout', () => {
      const env = { KAFKA_SESSION_TIMEOUT_MS: '45000', SIGNAL_REPLAY_OVERLAP_MS: '30000' };
      expect(() => load(env)).toThrow(
        '- SIGNAL_REPLAY_OVERLAP_MS: must be at least KAFKA_SESSION_TIMEOUT_MS',
      );
      expect(load({ ...env, KAFKA_ENABLED: 'false' }).gateway.replayOverlapMs).toBe(30000);
    });
  });

  describe('push provider', () => {
    const problemsOf = (env: Record<string, string>) => {
      try {
        load(env);
        return [];
      } catch (error) {
        return (error as ConfigValidationError).problems;
      }
    };

    it('should default to none, with SMTP to a local catcher', () => {
      const sut = load({});

      expect(sut.push.provider).toEqual({ kind: 'none' });
      expect(sut.smtp.url).toBe('smtp://127.0.0.1:1025');
    });

    it('should require the webhook URL for the webhook provider', () => {
      expect(problemsOf({ PUSH_PROVIDER: 'webhook' })).toEqual([
        'PUSH_WEBHOOK_URL: required when PUSH_PROVIDER is webhook',
      ]);
      expect(
        load({ PUSH_PROVIDER: 'webhook', PUSH_WEBHOOK_URL: 'http://push.local/hook' }).push
          .provider,
      ).toEqual({ kind: 'webhook', url: 'http://push.local/hook', secret: null });
    });

    it('should say what is wrong with the FCM service account', () => {
      expect(problemsOf({ PUSH_PROVIDER: 'fcm' })).toEqual([
        'FCM_SERVICE_ACCOUNT_JSON: required when PUSH_PROVIDER is fcm',
      ]);
      expect(problemsOf({ PUSH_PROVIDER: 'fcm', FCM_SERVICE_ACCOUNT_JSON: '{oops' })).toEqual([
        "FCM_SERVICE_ACCOUNT_JSON: must be the service account key file's JSON",
      ]);
      expect(
        problemsOf({ PUSH_PROVIDER: 'fcm', FCM_SERVICE_ACCOUNT_JSON: '{"project_id":"p"}' }),
      ).toEqual(['FCM_SERVICE_ACCOUNT_JSON: lacks client_email, private_key']);
    });

    it('should read a sound FCM service account', () => {
      const account = {
        project_id: 'signal-test',
        client_email: 'push@signal-test.iam.gserviceaccount.com',
        private_key: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n',
      };
      const sut = load({
        PUSH_PROVIDER: 'fcm',
        FCM_SERVICE_ACCOUNT_JSON: JSON.stringify(account),
        FCM_BASE_URL: 'http://127.0.0.1:9999',
      });

      expect(sut.push.provider).toEqual({
        kind: 'fcm',
        serviceAccount: account,
        baseUrl: 'http://127.0.0.1:9999',
        tokenUrl: 'https://oauth2.googleapis.com/token',
      });
    });
  });

  describe('PHX delivery lease', () => {
    const FCM_ACCOUNT = JSON.stringify({
      project_id: 'p',
      client_email: 'push@p.iam.gserviceaccount.com',
      private_key: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n',
    });
    const leaseProblems = (env: Record<string, string>) => {
      try {
        loadSignalConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigValidationError).problems.filter((problem) =>
          problem.startsWith('PHX_DELIVERY_LEASE_MS'),
        );
      }
    };

    it('should accept the defaults', () => {
      expect(leaseProblems({})).toEqual([]);
      expect(
        leaseProblems({ PUSH_PROVIDER: 'fcm', FCM_SERVICE_ACCOUNT_JSON: FCM_ACCOUNT }),
      ).toEqual([]);
    });

    it.each([
      // E-mails: a chunk's pool connections serve the 4 chunks in flight, 3 waits each, + 5 s.
      [{ PHX_DELIVERY_LEASE_MS: '60000' }, 125_000],
      [{ PHX_DELIVERY_LEASE_MS: '29000', SMTP_TIMEOUT_MS: '2000' }, 29_000],
      // Pushes: FCM's token and send requests, again after a refused token: 4 timeouts.
      [
        {
          PHX_DELIVERY_LEASE_MS: '50000',
          SMTP_TIMEOUT_MS: '1000',
          PUSH_PROVIDER: 'fcm',
          FCM_SERVICE_ACCOUNT_JSON: FCM_ACCOUNT,
          PUSH_TIMEOUT_MS: '12000',
        },
        53_000,
      ],
    ])(
      'should stop the boot when a send can outlast the lease (%j: %d ms)',
      (env, longestSendMs) => {
        const [problem] = leaseProblems(env);

        expect(problem).toContain(
          `longest a push or e-mail send can take here, ${longestSendMs} ms`,
        );
        for (const variable of ['PUSH_TIMEOUT_MS', 'SMTP_TIMEOUT_MS']) {
          expect(problem).toContain(variable);
        }
      },
    );

    it('should accept a lease just above the longest send', () => {
      expect(leaseProblems({ PHX_DELIVERY_LEASE_MS: '29001', SMTP_TIMEOUT_MS: '2000' })).toEqual(
        [],
      );
    });
  });

  describe('demo page', () => {
    const PUBLIC_KEY = '-----BEGIN PUBLIC KEY-----\\nabc\\n-----END PUBLIC KEY-----';
    const PRODUCTION = {
      NODE_ENV: 'production',
      SIGNAL_JWT_SECRET: 'a-long-enough-secret',
      SIGNAL_API_KEYS: 'key-one-0123456789',
    };

    it('should be off by default', () => {
      expect(load({}).demo).toEqual({ enabled: false });
    });

    it('should sign with the current HS256 secret, issuer and audience the app verifies', () => {
      expect(load({ DEMO_ENABLED: 'true' }).demo).toEqual({
        enabled: true,
        jwtSecret: DEVELOPMENT_JWT_SECRET,
        issuer: null,
        audience: null,
        mailCatcherUrl: 'http://127.0.0.1:1080',
      });
      expect(
        load({
          DEMO_ENABLED: 'true',
          SIGNAL_JWT_SECRET: 'a-long-enough-secret',
          SIGNAL_JWT_PREVIOUS_SECRET: 'the-old-secret-0123456789',
          SIGNAL_JWT_ISSUER: 'https://auth.example',
          SIGNAL_JWT_AUDIENCE: 'signal',
        }).demo,
      ).toEqual({
        enabled: true,
        jwtSecret: 'a-long-enough-secret',
        issuer: 'https://auth.example',
        audience: 'signal',
        mailCatcherUrl: 'http://127.0.0.1:1080',
      });
    });

    it('should link the mail catcher given, or none', () => {
      const mailCatcherUrl = (env: NodeJS.ProcessEnv) => {
        const { demo } = load({ DEMO_ENABLED: 'true', ...env });
        return demo.enabled ? demo.mailCatcherUrl : 'demo off';
      };

      expect(mailCatcherUrl({ DEMO_MAIL_CATCHER_URL: 'https://mail.example/inbox' })).toBe(
        'https://mail.example/inbox',
      );
      expect(mailCatcherUrl({ DEMO_MAIL_CATCHER_URL: 'none' })).toBeNull();
      expect(mailCatcherUrl({ DEMO_MAIL_CATCHER_URL: '' })).toBe('http://127.0.0.1:1080');
    });

    it('should link no local mail catcher in production unless given one', () => {
      const demo = (env: NodeJS.ProcessEnv) =>
        loadSignalConfig({
          ...PRODUCTION,
          DEMO_ENABLED: 'true',
          DEMO_ALLOW_IN_PRODUCTION: 'true',
          ...env,
        }).demo;

      expect(demo({})).toMatchObject({ mailCatcherUrl: null });
      expect(demo({ DEMO_MAIL_CATCHER_URL: 'https://mail.example' })).toMatchObject({
        mailCatcherUrl: 'https://mail.example',
      });
    });

    it('should refuse it in production unless explicitly allowed', () => {
      expect(() => loadSignalConfig({ ...PRODUCTION, DEMO_ENABLED: 'true' })).toThrow(
        /- DEMO_ENABLED: refused in production[^\n]*DEMO_ALLOW_IN_PRODUCTION=true/,
      );
      expect(
        loadSignalConfig({ ...PRODUCTION, DEMO_ENABLED: 'true', DEMO_ALLOW_IN_PRODUCTION: 'true' })
          .demo.enabled,
      ).toBe(true);
    });

    it('should refuse it when user tokens are verified with an RS256 public key', () => {
      expect(() => load({ DEMO_ENABLED: 'true', SIGNAL_JWT_PUBLIC_KEY: PUBLIC_KEY })).toThrow(
        /- DEMO_ENABLED: needs SIGNAL_JWT_SECRET \(HS256\)/,
      );
      expect(load({ SIGNAL_JWT_PUBLIC_KEY: PUBLIC_KEY }).demo.enabled).toBe(false);
    });
  });
});
