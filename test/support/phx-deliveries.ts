import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { WebhookPushRequest } from '../../apps/signal/src/phx-push/channels/webhook.push-provider';
import { LoopbackHttpServer } from './loopback-http-server';
import { waitFor } from './wait-for';

/**
 * PHX payload number `n` of action code FEE:NOTICE to `userId`: a push to the devices of `app`
 * and an e-mail to `{userId}@example.com`, both titled `Học phí {n}`.
 */
export function aFeeNotice(n: number, userId: string, app: string) {
  return {
    user_id: userId,
    hostname: 'portal.phx.vn',
    action_code: 'FEE:NOTICE',
    pushNotiMobile: {
      title: `Học phí ${n}`,
      message: 'Bạn có thông báo học phí mới',
      module_code: 'FEE',
      app,
      payload: { n },
    },
    sendEmailV3: {
      emailType: 'transaction-basic',
      to: `${userId}@example.com`,
      subject: `Học phí ${n}`,
      title: 'Học phí',
      previewText: 'Thông báo học phí',
      content: `<p>Nội dung <b>${n}</b></p><script>alert(${n})</script>`,
    },
  };
}

/** Waits until every PHX request stored in `db` is delivered (up to a minute). */
export async function waitUntilEveryRequestDelivered(db: TestSchema): Promise<void> {
  await waitFor(
    'every request to be delivered',
    async () => {
      const [{ open }]: { open: string }[] = await db.dataSource.query(
        `SELECT count(*) AS open FROM phx_push_requests WHERE status <> 'delivered'`,
      );
      return Number(open) === 0 ? true : undefined;
    },
    { timeoutMs: 60_000 },
  );
}

/** The request id of each push the loopback push webhook received, sorted: one per push sent. */
export function pushedRequestIds(webhook: LoopbackHttpServer): string[] {
  return webhook.requests.map((call) => call.json<WebhookPushRequest>().notificationId).sort();
}
