import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  PhxPushException,
  PhxPushHttpException,
  PhxPushModule,
  PhxPushModuleOptions,
  PhxPushValidationException,
  PHXPushNotificationService,
  PushInappNoti,
} from 'phx-node';

/**
 * Sends the notification given as JSON in argv[2] through phx-node and prints the outcome as one
 * JSON line: `{ "result": … }`, or `{ "error": … }` with exit code 1 when send throws.
 * Settings come from PHX_PRODUCER_URL, PHX_API_KEY and PHX_HOSTNAME; PHX_IDEMPOTENCY_KEY, when
 * set, is the send's idempotency key.
 */
function phxOptions(): PhxPushModuleOptions {
  const producerUrl = process.env.PHX_PRODUCER_URL;
  if (!producerUrl) throw new Error('PHX_PRODUCER_URL is required');
  return {
    producerUrl,
    apiKey: process.env.PHX_API_KEY,
    hostname: process.env.PHX_HOSTNAME,
    retries: 1,
  };
}

@Module({ imports: [PhxPushModule.forRootAsync({ useFactory: phxOptions })] })
class ConsumerAppModule {}

function describeError(error: PhxPushException) {
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

async function main(): Promise<void> {
  const payload = JSON.parse(process.argv[2] ?? 'null') as PushInappNoti;
  const app = await NestFactory.createApplicationContext(ConsumerAppModule, {
    logger: ['error', 'warn'],
  });
  try {
    const idempotencyKey = process.env.PHX_IDEMPOTENCY_KEY;
    const result = await app
      .get(PHXPushNotificationService)
      .send(payload, idempotencyKey === undefined ? {} : { idempotencyKey });
    console.log(JSON.stringify({ result }));
  } catch (error) {
    if (!(error instanceof PhxPushException)) throw error;
    console.log(JSON.stringify({ error: describeError(error) }));
    process.exitCode = 1;
  } finally {
    await app.close();
  }
}

void main();
