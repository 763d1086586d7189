import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { Admin } from 'kafkajs';
import request from 'supertest';
import { emailPayload } from '../../../libs/phx-node/test/payloads';
import { MailDevEmail, mailDevEmails } from '../../../scripts/lib/maildev';
import { createTopic, testKafka } from '../../support/kafka';
import { PrivateMailDev } from '../../support/private-services';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';
import { TEST_API_KEY } from '../../support/tokens';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';

describe('Mail catcher of the local stack: a PHX e-mail read back from MailDev (real MailDev, Kafka, PostgreSQL)', () => {
  const topic = uniqueName('it.mail-catcher');
  const groupId = uniqueName('IT_MAIL_CATCHER');
  let maildev: PrivateMailDev | undefined;
  let db: TestSchema | undefined;
  let signal: SignalTestApp | undefined;
  let admin: Admin | undefined;

  beforeAll(async () => {
    admin = testKafka(uniqueName('it-mail-catcher')).admin();
    await admin.connect();
    await createTopic(admin, topic);
    maildev = await PrivateMailDev.create();
    db = await createTestSchema('mail-catcher');
    signal = await startSignalTestApp(db, {
      KAFKA_ENABLED: 'true',
      KAFKA_TOPIC_PHX_PUSH: topic,
      KAFKA_TOPIC_ACTIVITY_NOTIFICATION: uniqueName('it.mail-catcher-activity'),
      APP_ENV_KAFKA_GROUP_ID: groupId,
      KAFKA_FROM_BEGINNING: 'true',
      SMTP_URL: maildev.smtpUrl,
      SMTP_FROM: 'PHX School <no-reply@phx.example>',
    });
  });

  // Each step runs even when an earlier one (or beforeAll) failed: nothing left behind.
  afterAll(async () => {
    const steps = [
      () => signal?.close(),
      () => maildev?.destroy(),
      () => admin?.deleteTopics({ topics: [topic, `${topic}.dlq`] }),
      () => admin?.deleteGroups([groupId]).catch(() => undefined),
      () => admin?.disconnect(),
      () => db?.drop(),
    ];
    const failures: unknown[] = [];
    for (const step of steps) await step()?.catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  });

  it('should show a sendEmailV3 sent through the Producer in MailDev, to its recipient, with the sanitized HTML', async () => {
    const subject = uniqueName('Học phí tháng 12');
    const payload = emailPayload({
      to: 'parent.8652@example.com',
      subject,
      content: '<p>Học phí <b>tháng 12</b>: 3.500.000đ</p><script>alert(1)</script>',
    });

    await request(signal!.app.getHttpServer())
      .post('/emit/inapp-noti')
      .set('x-api-key', TEST_API_KEY)
      .send(payload)
      .expect(202);

    const mail = await waitFor(
      'the e-mail to reach MailDev',
      async () =>
        (await mailDevEmails(maildev!.webUrl)).find(
          (email: MailDevEmail) => email.subject === subject,
        ),
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(mail.to).toEqual([{ address: 'parent.8652@example.com', name: '' }]);
    expect(mail.from).toEqual([{ address: 'no-reply@phx.example', name: 'PHX School' }]);
    expect(mail.html).toContain('<p>Học phí <b>tháng 12</b>: 3.500.000đ</p>');
    expect(mail.html).not.toContain('<script');
    expect(mail.text).toContain('Học phí tháng 12: 3.500.000đ');
  });

  it('should serve the MailDev web UI the stack links to', async () => {
    const answer = await fetch(maildev!.webUrl, { headers: { accept: 'text/html' } });

    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('<title>MailDev');
  });
});
