import { createTestSchema, TestSchema } from '@signal/persistence/testing/test-schema';
import request from 'supertest';
import { SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';
import { TcpProxy } from '../../support/tcp-proxy';
import { TestServices } from '../../support/test-services';

const CALLS = 100;

describe('GET /health/ready under a flood and with bad credentials (real stack)', () => {
  let db: TestSchema;
  // Counts the AMQP connections the app opens.
  let rabbitLink: TcpProxy;
  const apps: SignalTestApp[] = [];

  beforeAll(async () => {
    db = await createTestSchema('readiness');
    const rabbit = new URL(TestServices.rabbitmqUrl);
    rabbitLink = new TcpProxy(rabbit.hostname, Number(rabbit.port || 5672));
    await rabbitLink.start();
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await rabbitLink?.stop();
    await db?.drop();
  });

  async function startWithRabbitmqUrl(url: URL): Promise<ReturnType<typeof request>> {
    // The legacy adapter off: only readiness talks to RabbitMQ.
    const app = await startSignalTestApp(db, { RABBITMQ_URL: url.toString() });
    apps.push(app);
    return request(app.app.getHttpServer());
  }

  it(`should open one AMQP connection for ${CALLS} concurrent readiness calls and the calls after them`, async () => {
    const viaProxy = new URL(TestServices.rabbitmqUrl);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(rabbitLink.port);
    const http = await startWithRabbitmqUrl(viaProxy);

    const first = await Promise.all(Array.from({ length: CALLS }, () => http.get('/health/ready')));
    // Past the cache: probed again, through the same connection.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const second = await Promise.all(
      Array.from({ length: CALLS }, () => http.get('/health/ready')),
    );

    for (const response of [...first, ...second]) {
      expect(response.status).toBe(200);
      expect(response.body.details.rabbitmq).toEqual({ status: 'up' });
    }
    expect(rabbitLink.accepted).toBe(1);
  });

  it('should name RabbitMQ down without its host, user, password or the broker text when the credentials are refused', async () => {
    const refused = new URL(TestServices.rabbitmqUrl);
    refused.username = 'readiness-probe-user';
    refused.password = 'readiness-probe-secret';
    const http = await startWithRabbitmqUrl(refused);

    const response = await http.get('/health/ready');

    expect(response.status).toBe(503);
    expect(response.body.error).toEqual({ rabbitmq: { status: 'down' } });
    expect(response.body.details.rabbitmq).toEqual({ status: 'down' });
    for (const secret of [
      'readiness-probe-user',
      'readiness-probe-secret',
      refused.hostname,
      refused.port || '5672',
      'ACCESS',
      'Login',
    ]) {
      expect(response.text).not.toContain(secret);
    }
  });
});
