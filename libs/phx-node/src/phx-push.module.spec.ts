import { Injectable, Module, ModuleMetadata } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { accepted, LoopbackProducer } from '../test/loopback-producer';
import { pushPayload } from '../test/payloads';
import { PhxPushModuleOptions } from './phx-push-module-options.interface';
import { PhxPushOptionsFactory } from './phx-push.module-definition';
import { PhxPushModule } from './phx-push.module';
import { PHXPushNotificationService } from './phx-push-notification.service';

const API_KEY = 'module-spec-api-key';

/** What an application's own config module would provide. */
@Injectable()
class ProducerSettings {
  constructor(readonly url: string) {}
}

function settingsModule(url: string) {
  @Module({
    providers: [{ provide: ProducerSettings, useValue: new ProducerSettings(url) }],
    exports: [ProducerSettings],
  })
  class SettingsModule {}
  return SettingsModule;
}

@Injectable()
class PhxOptionsFromSettings implements PhxPushOptionsFactory {
  constructor(private readonly settings: ProducerSettings) {}

  createPhxPushOptions(): PhxPushModuleOptions {
    return { producerUrl: this.settings.url, apiKey: API_KEY, hostname: 'use-class.phx.vn' };
  }
}

describe(PhxPushModule.name, () => {
  let producer: LoopbackProducer;
  let moduleRef: TestingModule | undefined;

  beforeAll(async () => {
    producer = await LoopbackProducer.start();
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });
  afterAll(() => producer.close());

  async function compile(...imports: NonNullable<ModuleMetadata['imports']>) {
    moduleRef = await Test.createTestingModule({ imports }).compile();
    return moduleRef;
  }

  /** Sends through the resolved service and returns what the Producer received. */
  async function sendThrough(sut: PHXPushNotificationService) {
    const sentBefore = producer.requests.length;
    await expect(sut.send(pushPayload({ hostname: undefined }))).resolves.toEqual(accepted());
    expect(producer.requests).toHaveLength(sentBefore + 1);
    return producer.requests[sentBefore];
  }

  it('should resolve a working service with forRoot', async () => {
    const ref = await compile(
      PhxPushModule.forRoot({
        producerUrl: producer.url,
        apiKey: API_KEY,
        hostname: 'root.phx.vn',
      }),
    );

    const received = await sendThrough(ref.get(PHXPushNotificationService));

    expect(received.headers['x-api-key']).toBe(API_KEY);
    expect(received.body).toMatchObject({ hostname: 'root.phx.vn' });
  });

  it('should resolve a working service with forRootAsync and useFactory + inject', async () => {
    const ref = await compile(
      PhxPushModule.forRootAsync({
        imports: [settingsModule(producer.url)],
        inject: [ProducerSettings],
        useFactory: (settings: ProducerSettings) => ({
          producerUrl: settings.url,
          apiKey: API_KEY,
          hostname: 'use-factory.phx.vn',
        }),
      }),
    );

    const received = await sendThrough(ref.get(PHXPushNotificationService));

    expect(received.headers['x-api-key']).toBe(API_KEY);
    expect(received.body).toMatchObject({ hostname: 'use-factory.phx.vn' });
  });

  it('should resolve a working service with forRootAsync and useClass', async () => {
    const ref = await compile(
      PhxPushModule.forRootAsync({
        imports: [settingsModule(producer.url)],
        useClass: PhxOptionsFromSettings,
      }),
    );

    const received = await sendThrough(ref.get(PHXPushNotificationService));

    expect(received.headers['x-api-key']).toBe(API_KEY);
    expect(received.body).toMatchObject({ hostname: 'use-class.phx.vn' });
  });

  it('should make the service injectable everywhere with isGlobal', async () => {
    @Injectable()
    class Notifier {
      constructor(readonly phx: PHXPushNotificationService) {}
    }
    @Module({ providers: [Notifier] })
    class FeatureModule {}

    const ref = await compile(
      PhxPushModule.forRoot({ producerUrl: producer.url, isGlobal: true }),
      FeatureModule,
    );

    expect(ref.get(Notifier).phx).toBeInstanceOf(PHXPushNotificationService);
  });

  it('should refuse bad options from forRoot, naming every one of them', async () => {
    await expect(
      compile(
        PhxPushModule.forRoot({
          producerUrl: 'signal:3000',
          hostname: '',
          apiKey: 'has a space',
          timeoutMs: 0,
          retries: -1,
        }),
      ),
    ).rejects.toThrow(
      'PhxPushModule: producerUrl must be an http(s) base URL such as "http://signal:3000", got "signal:3000"; ' +
        'hostname must be a non-empty string of at most 255 characters, got ""; ' +
        'apiKey must be a non-empty string of printable ASCII without spaces; ' +
        'timeoutMs must be a positive integer, got 0; ' +
        'retries must be a non-negative integer, got -1',
    );
  });

  it('should refuse bad options from an async factory', async () => {
    await expect(
      compile(
        PhxPushModule.forRootAsync({
          useFactory: () => ({ producerUrl: undefined as unknown as string, retries: 1.5 }),
        }),
      ),
    ).rejects.toThrow(
      'PhxPushModule: producerUrl must be an http(s) base URL such as "http://signal:3000", got undefined; ' +
        'retries must be a non-negative integer, got 1.5',
    );
  });
});
