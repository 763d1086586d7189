import { PhxNotificationRecordRepository, PhxNotificationRecordView } from '@signal/persistence';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { Admin, Kafka, Producer } from 'kafkajs';
import { Browser, chromium, Locator, Page } from 'playwright-core';
import request from 'supertest';
import { NotificationSocketEventService } from '../../../apps/signal/src/signal-gateway/socket/notification-socket-event.service';
import { createTopic, testKafka } from '../../support/kafka';
import { aPaymentSucceeded } from '../../support/kafka-activity';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';
import { userToken } from '../../support/tokens';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';

/** Debian's package (scripts/ensure-chromium.sh installs it); playwright-core downloads nothing. */
const CHROMIUM = '/usr/bin/chromium';

/** With a query, so the test sees the `&` survive the page's HTML. */
const MAIL_CATCHER_URL = 'http://127.0.0.1:1080/?from=demo&view=html';

/** Waits until the element's whole text is `text` (the page updates asynchronously). */
async function toHaveText(locator: Locator, text: string): Promise<void> {
  const exactly = new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  await locator.filter({ hasText: exactly }).waitFor();
}

describe('Notification Center demo page (real Kafka, PostgreSQL, Redis)', () => {
  const topic = uniqueName('it.demo-activity');
  const groupId = uniqueName('IT_DEMO_GROUP');
  let db: TestSchema | undefined;
  let signal: SignalTestApp | undefined;
  let kafka: Kafka;
  let admin: Admin | undefined;
  let producer: Producer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let pageErrors: string[];

  const app = () => signal!;
  const http = () => request(app().app.getHttpServer());
  const asUser = (sub: string) => `Bearer ${userToken({ sub })}`;

  /** A PAYMENT_SUCCESS for exactly `user`, produced to the app's topic. */
  const producePayment = (user: string, subject: string) =>
    producer!.send({
      topic,
      messages: [
        {
          key: user,
          value: JSON.stringify(
            aPaymentSucceeded({
              recipientScope: 'users',
              recipientIds: [user],
              eventId: uniqueName('evt-demo'),
              data: { payment: { id: uniqueName('pay'), subject } },
            }),
          ),
        },
      ],
    });
  const activityCard = (text: string) =>
    page.getByTestId('activity-card').filter({ hasText: text });

  /** A Notification Center record as the PHX Consumer stores it: behind a request of its own. */
  async function givenRecord(user: string, title: string): Promise<PhxNotificationRecordView> {
    const [{ id }]: { id: string }[] = await db!.dataSource.query(
      `INSERT INTO phx_push_requests
         (idempotency_key, user_id, student_id, type, action_code, hostname, payload, status)
       VALUES (gen_random_uuid()::text, $1, 7, 'TO_ME', 'FEE:NOTICE', 'school.test', '{}', 'delivered')
       RETURNING id`,
      [user],
    );
    const [{ record }] = await app()
      .app.get(PhxNotificationRecordRepository)
      .insertMany([
        {
          requestId: id,
          userId: user,
          studentId: 7,
          type: 'TO_ME',
          actionCode: 'FEE:NOTICE',
          moduleCode: 'FEE',
          title,
          message: `${title}: xem chi tiết trong ứng dụng`,
          payload: { title },
          hostname: 'school.test',
          channelStatus: { in_app: { status: 'sent', reason: null } },
          inCenter: true,
        },
      ]);
    return record;
  }

  async function signIn(sub: string): Promise<void> {
    await page.goto(`${app().baseUrl}/demo`);
    await page.getByTestId('sign-in-user').fill(sub);
    await page.getByTestId('sign-in-submit').click();
    await toHaveText(page.getByTestId('connection-status'), 'connected');
    // Enabled once both lists and their counts are loaded.
    await page.locator('[data-testid="records-mark-all-read"]:enabled').waitFor();
  }

  beforeAll(async () => {
    db = await createTestSchema('demo-page');
    kafka = testKafka('it-demo-page');
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    await createTopic(admin, topic);
    signal = await startSignalTestApp(db, {
      KAFKA_ENABLED: 'true',
      KAFKA_TOPIC_ACTIVITY_NOTIFICATION: topic,
      APP_ENV_KAFKA_GROUP_ID: groupId,
      APP_ENV_KAFKA_CLIENT_ID: uniqueName('IT_DEMO_CLIENT'),
      KAFKA_FROM_BEGINNING: 'true',
      DEMO_ENABLED: 'true',
      DEMO_MAIL_CATCHER_URL: MAIL_CATCHER_URL,
    });
  });

  // Each step runs even when an earlier one (or beforeAll) failed: no app or topic left behind.
  afterAll(async () => {
    const steps = [
      () => signal?.close(),
      () => admin?.deleteTopics({ topics: [topic, `${topic}.dlq`] }),
      // The group may still be leaving the coordinator; an empty group expires by itself.
      () => admin?.deleteGroups([groupId]).catch(() => undefined),
      () => producer?.disconnect(),
      () => admin?.disconnect(),
      () => db?.drop(),
    ];
    const failures: unknown[] = [];
    for (const step of steps) await step()?.catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  });

  describe('in headless Chromium', () => {
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM });
    });

    // Runs even when a test failed, so no Chromium process outlives the file.
    afterAll(async () => {
      await browser?.close();
    });

    beforeEach(async () => {
      page = await browser!.newPage();
      page.setDefaultTimeout(20_000);
      pageErrors = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
    });

    afterEach(async () => {
      if (!browser) return; // beforeAll failed: no page was opened
      const shown = await page.getByTestId('error').textContent();
      await page.close();
      expect(pageErrors).toEqual([]);
      expect(shown).toBe('');
    });

    it('should show an activity notification produced to Kafka as it arrives, and drop the badge when it is read', async () => {
      const user = uniqueName('demo-user');
      await signIn(user);
      const badge = page.getByTestId('activity-unread');
      expect(await badge.textContent()).toBe('0');

      await producePayment(user, 'Học phí tháng 12');

      const card = activityCard('Chị Lan đã thanh toán thành công Học phí tháng 12');
      await card.waitFor();
      await toHaveText(badge, '1');
      expect(await card.getAttribute('data-read')).toBe('false');

      await card.getByTestId('activity-mark-read').click();

      await toHaveText(badge, '0');
      expect(await card.getAttribute('data-read')).toBe('true');
      expect(await card.getByTestId('activity-mark-read').isDisabled()).toBe(true);
      const { body } = await http()
        .get('/notifications/unread-count')
        .set('Authorization', asUser(user))
        .expect(200);
      expect(body).toEqual({ count: 0 });
    });

    it('should show a Notification Center record pushed over the socket, and clear its badge with mark all read', async () => {
      const user = uniqueName('demo-parent');
      await signIn(user);
      const badge = page.getByTestId('records-unread');
      expect(await badge.textContent()).toBe('0');

      const record = await givenRecord(user, 'Thông báo học phí tháng 12');
      app().app.get(NotificationSocketEventService).notifyNotificationCenterRecordCreated(record);

      const card = page
        .getByTestId('record-card')
        .filter({ hasText: 'Thông báo học phí tháng 12' });
      await card.waitFor();
      await toHaveText(badge, '1');
      expect(await page.getByTestId('records-unread-by-tab').textContent()).toBe(
        'SYSTEM 0 · TO_ME 1',
      );

      await page.getByTestId('records-mark-all-read').click();

      await toHaveText(badge, '0');
      expect(await card.getAttribute('data-read')).toBe('true');
      const { body } = await http()
        .get('/notification-center/unread-counts')
        .set('Authorization', asUser(user))
        .expect(200);
      expect(body).toMatchObject({ total: 0 });
    });

    it('should recover what was missed while disconnected (activity by socket replay, records by REST) and say how many', async () => {
      const user = uniqueName('demo-away');
      await signIn(user);
      await producePayment(user, 'Tiền ăn tháng 12');
      await activityCard('Tiền ăn tháng 12').waitFor();

      await page.getByTestId('connection-toggle').click();
      await toHaveText(
        page.getByTestId('connection-status'),
        'disconnected (io client disconnect)',
      );
      await producePayment(user, 'Tiền xe tháng 12');
      await waitFor('the missed notification to be stored', async () => {
        const { body } = await http().get('/notifications').set('Authorization', asUser(user));
        return (body as { items: unknown[] }).items.length === 2 ? true : undefined;
      });
      expect(await activityCard('Tiền xe tháng 12').count()).toBe(0);
      const record = await givenRecord(user, 'Lịch họp phụ huynh');
      app().app.get(NotificationSocketEventService).notifyNotificationCenterRecordCreated(record);

      await page.getByTestId('connection-toggle').click();

      await toHaveText(
        page.getByTestId('recovery-status'),
        'reconnected, 2 missed notifications recovered',
      );
      expect(
        await page
          .getByTestId('record-card')
          .filter({ hasText: 'Lịch họp phụ huynh' })
          .getAttribute('data-recovered'),
      ).toBe('true');
      const missed = activityCard('Tiền xe tháng 12');
      expect(await missed.getAttribute('data-recovered')).toBe('true');
      expect(await activityCard('Tiền ăn tháng 12').getAttribute('data-recovered')).toBeNull();
      expect(await page.getByTestId('activity-card').count()).toBe(2);
      await toHaveText(page.getByTestId('activity-unread'), '2');
    });

    it('should link the mail catcher web UI, opening in a new tab', async () => {
      await page.goto(`${app().baseUrl}/demo`);
      const link = page.getByTestId('mail-catcher-link');

      expect(await link.getAttribute('href')).toBe(MAIL_CATCHER_URL);
      expect(await link.getAttribute('target')).toBe('_blank');
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    });
  });

  describe('over HTTP', () => {
    it('should serve the page with a strict content security policy', async () => {
      const response = await http().get('/demo').expect(200);

      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.text).toContain('data-testid="activity-list"');
    });

    it('should say what is wrong with a token request', async () => {
      const { body } = await http()
        .post('/demo/token')
        .send({ sub: 'has space', merchantIds: 'm-1' })
        .expect(400);

      expect(body.message).toEqual(
        expect.arrayContaining([
          'sub must be an id of 1-128 characters without whitespace or "/"',
          'merchantIds must be an array of ids',
        ]),
      );
    });
  });
});

describe('Notification Center demo page when DEMO_ENABLED is off (the default)', () => {
  let db: TestSchema | undefined;
  let signal: SignalTestApp | undefined;

  beforeAll(async () => {
    db = await createTestSchema('demo-page-off');
    signal = await startSignalTestApp(db);
  });

  afterAll(async () => {
    await signal?.close();
    await db?.drop();
  });

  it.each([
    ['GET', '/demo'],
    ['GET', '/demo/demo.js'],
    ['POST', '/demo/token'],
  ])('should answer %s %s with 404', async (method, path) => {
    const http = request(signal!.app.getHttpServer());
    const call = method === 'GET' ? http.get(path) : http.post(path).send({ sub: 'someone' });

    await call.expect(404);
  });
});
