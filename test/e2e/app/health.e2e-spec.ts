import { INestApplication } from '@nestjs/common';
import { createTestSchema, TestSchema } from '@signal/persistence/testing/test-schema';
import { Admin } from 'kafkajs';
import request from 'supertest';
import { startSignalApp } from '../../../apps/signal/src/signal-app';
import { testKafka, waitForStableGroup } from '../../support/kafka';
import { deleteQueues } from '../../support/rabbitmq';
import { TcpProxy } from '../../support/tcp-proxy';
import { testSignalConfig } from '../../support/test-config';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';

describe('Signal app: boot with both transports, health and recovery (real stack)', () => {
  const clientId = uniqueName('IT_HEALTH_CLIENT');
  const groupId = uniqueName('IT_HEALTH_GROUP');
  const queue = uniqueName('it.health');
  let db: TestSchema;
  let postgresProxy: TcpProxy;
  let admin: Admin;
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    db = await createTestSchema('health');
    // The app reaches PostgreSQL through a proxy the test can cut, leaving the real server up.
    postgresProxy = new TcpProxy('127.0.0.1', 5432);
    await postgresProxy.start();
    const url = new URL(db.options.url);
    url.port = String(postgresProxy.port);

    app = await startSignalApp(
      testSignalConfig({
        DATABASE_URL: url.toString(),
        DATABASE_SCHEMA: db.options.schema,
        APP_ENV_KAFKA_CLIENT_ID: clientId,
        APP_ENV_KAFKA_GROUP_ID: groupId,
        RABBITMQ_QUEUE: queue,
      }),
    );
    http = request(app.getHttpServer());
    admin = testKafka('it-health').admin();
    await admin.connect();
  });

  afterAll(async () => {
    await app.close();
    await deleteQueues(queue);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
    await postgresProxy.stop();
    await db.drop();
  });

  it('should answer live', async () => {
    const response = await http.get('/health/live').expect(200);
    expect(response.body).toMatchObject({ status: 'ok' });
  });

  it('should be ready with all four dependencies up', async () => {
    const response = await http.get('/health/ready').expect(200);
    expect(response.body.status).toBe('ok');
    expect(Object.keys(response.body.details).sort()).toEqual([
      'kafka',
      'postgresql',
      'rabbitmq',
      'redis',
    ]);
    for (const detail of Object.values(response.body.details)) {
      expect(detail).toMatchObject({ status: 'up' });
    }
  });

  it('should have joined Kafka with the configured ids, unsuffixed', async () => {
    const members = await waitForStableGroup(admin, groupId);
    expect(members.map((member) => member.clientId)).toEqual([clientId]);
  });

  it('should report not ready naming PostgreSQL while it is unreachable, and recover without a restart', async () => {
    await postgresProxy.stop();

    const down = await waitFor('readiness to fail', async () => {
      const response = await http.get('/health/ready');
      return response.status === 503 ? response : undefined;
    });
    expect(Object.keys(down.body.error)).toEqual(['postgresql']);
    expect(down.body.error.postgresql).toEqual({ status: 'down' });
    expect(down.body.details.kafka.status).toBe('up');

    await postgresProxy.start();

    const up = await waitFor('readiness to recover', async () => {
      const response = await http.get('/health/ready');
      return response.status === 200 ? response : undefined;
    });
    expect(up.body.details.postgresql.status).toBe('up');
  });
});
