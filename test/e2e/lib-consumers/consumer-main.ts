// A small NestJS service that uses Signal's libraries as every other service does: `phx-node` and
// `@signal/core` installed by name from the registry. registry-install.e2e-spec.ts copies this
// file into each consumer app beside it (NestJS 11 in CommonJS, NestJS 12 as ES modules), so the
// one source is compiled by each app's own TypeScript against the installed declarations.
//
// argv[2] is a JSON `Job`; the service prints one JSON line saying what happened (`Outcome`).
// Settings come from the environment: PHX_PRODUCER_URL, PHX_API_KEY, PHX_HOSTNAME, REDIS_URL,
// SOCKET_IO_REDIS_KEY.
import 'reflect-metadata';
import { Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WebSocketEmitter } from '@signal/core';
import { Redis } from 'ioredis';
import {
  PhxPushException,
  PhxPushHttpException,
  PhxPushModule,
  PhxPushValidationException,
  PHXPushNotificationService,
  PhxSendResult,
  PushInappNoti,
} from 'phx-node';

interface Job {
  sends: { payload: PushInappNoti; idempotencyKey?: string }[];
  emit: { room: string; topic: string; payload: object };
}

type SendOutcome = { result: PhxSendResult } | { error: Record<string, unknown> };

interface Outcome {
  /** How this build was loaded: proves the ES-module app really is one. */
  moduleSystem: 'commonjs' | 'esm';
  sends: SendOutcome[];
  emitted: boolean;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

/** What a real service's configuration module would provide. */
@Injectable()
class Settings {
  readonly producerUrl = required('PHX_PRODUCER_URL');
  readonly apiKey = required('PHX_API_KEY');
  readonly hostname = required('PHX_HOSTNAME');
  readonly redisUrl = required('REDIS_URL');
  readonly socketIoRedisKey = required('SOCKET_IO_REDIS_KEY');
}

@Module({ providers: [Settings], exports: [Settings] })
class SettingsModule {}

function describeError(error: PhxPushException): Record<string, unknown> {
  if (error instanceof PhxPushValidationException) {
    return {
      name: error.name,
      code: error.code,
      source: error.source,
      violations: error.violations,
    };
  }
  if (error instanceof PhxPushHttpException) {
    return { name: error.name, code: error.code, status: error.status, message: error.message };
  }
  return { name: error.name, code: error.code, message: error.message };
}

@Injectable()
class Notifier implements OnApplicationShutdown {
  constructor(
    private readonly phx: PHXPushNotificationService,
    private readonly emitter: WebSocketEmitter,
    private readonly redis: Redis,
  ) {}

  async send({ payload, idempotencyKey }: Job['sends'][number]): Promise<SendOutcome> {
    try {
      return { result: await this.phx.send(payload, idempotencyKey ? { idempotencyKey } : {}) };
    } catch (error) {
      if (!(error instanceof PhxPushException)) throw error;
      return { error: describeError(error) };
    }
  }

  emit({ room, topic, payload }: Job['emit']): void {
    this.emitter.toRoom(room, topic, payload);
  }

  /** The emitter owns no connection; quitting sends what it queued first. */
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit();
  }
}

@Module({
  imports: [
    SettingsModule,
    PhxPushModule.forRootAsync({
      imports: [SettingsModule],
      inject: [Settings],
      useFactory: (settings: Settings) => ({
        producerUrl: settings.producerUrl,
        apiKey: settings.apiKey,
        hostname: settings.hostname,
        retries: 1,
      }),
    }),
  ],
  providers: [
    { provide: Redis, inject: [Settings], useFactory: (s: Settings) => new Redis(s.redisUrl) },
    {
      provide: WebSocketEmitter,
      inject: [Redis, Settings],
      useFactory: (redis: Redis, s: Settings) => new WebSocketEmitter(redis, s.socketIoRedisKey),
    },
    Notifier,
  ],
})
class ConsumerAppModule {}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as Job;
  const app = await NestFactory.createApplicationContext(ConsumerAppModule, {
    logger: ['error', 'warn'],
  });
  const outcome: Outcome = {
    moduleSystem: typeof module === 'undefined' ? 'esm' : 'commonjs',
    sends: [],
    emitted: false,
  };
  try {
    const notifier = app.get(Notifier);
    for (const send of job.sends) outcome.sends.push(await notifier.send(send));
    notifier.emit(job.emit);
    outcome.emitted = true;
  } finally {
    await app.close();
  }
  console.log(JSON.stringify(outcome));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
