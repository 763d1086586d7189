import { readdirSync, readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { TestingModule } from '@nestjs/testing';
import { EmailType } from 'phx-node';
import { ChannelError } from '../../../../apps/signal/src/phx-push/channels/channel-failure';
import {
  EMAIL_SENDER,
  EmailSender,
} from '../../../../apps/signal/src/phx-push/channels/email-sender';
import {
  PUSH_PROVIDER,
  PushProvider,
  toPushMessage,
} from '../../../../apps/signal/src/phx-push/channels/push-provider';
import { LoopbackHttpServer } from '../../../support/loopback-http-server';
import { waitFor } from '../../../support/wait-for';
import { startPhxChannels } from './phx-channels-testing';

const aPush = (notificationId: string) =>
  toPushMessage(notificationId, {
    title: 'Điểm danh',
    message: 'Con đã đến trường',
    module_code: 'ATTENDANCE',
    app: 'PHX_PARENT',
    payload: {},
  });

/** The nice value of each thread of this process, by thread id (Linux: field 19 of its stat). */
function niceOfThreads(): Map<number, number> {
  return new Map(
    readdirSync('/proc/self/task').map((tid) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return [Number(tid), Number(fields[16])];
    }),
  );
}

/** The channels module pushing to a loopback webhook that reports `tok-1` sent; closed after `test`. */
async function withWebhookSendingTok1(
  test: (sut: { webhook: LoopbackHttpServer; channels: TestingModule }) => Promise<void>,
): Promise<void> {
  const webhook = await LoopbackHttpServer.start(() => ({
    status: 200,
    body: { results: [{ token: 'tok-1', status: 'sent' }] },
  }));
  const channels = await startPhxChannels({
    PUSH_PROVIDER: 'webhook',
    PUSH_WEBHOOK_URL: `${webhook.url}/push`,
  });
  try {
    await test({ webhook, channels });
  } finally {
    await channels.close();
    await webhook.close();
  }
}

describe('ChannelThread: push and e-mail sent from a worker thread', () => {
  it('should send from a thread below the main thread’s priority', async () => {
    await withWebhookSendingTok1(async ({ webhook, channels }) => {
      const lowered = () => [...niceOfThreads().values()].filter((nice) => nice === 10).length;
      const before = lowered();

      const report = await channels
        .get<PushProvider>(PUSH_PROVIDER)
        .send(aPush('req-thread-1'), ['tok-1']);

      expect(report.sent).toEqual(['tok-1']);
      expect(webhook.requestsTo('/push')).toHaveLength(1);
      expect(niceOfThreads().get(process.pid)).toBe(0);
      expect(lowered()).toBe(before + 1);
    });
  });

  it('should fail a send whose data cannot cross to the thread, permanently, and keep serving', async () => {
    await withWebhookSendingTok1(async ({ webhook, channels }) => {
      const push = channels.get<PushProvider>(PUSH_PROVIDER);
      const uncloneable = {
        ...aPush('req-thread-4'),
        data: { open: (() => 'x') as unknown as string },
      };

      const refused = await push.send(uncloneable, ['tok-1']);
      const served = await push.send(aPush('req-thread-5'), ['tok-1']);

      expect(refused.failed).toEqual([
        {
          token: 'tok-1',
          transient: false,
          reason: expect.stringMatching(/^cannot hand the send to the channel thread: /),
        },
      ]);
      expect(served.sent).toEqual(['tok-1']);
      expect(webhook.requestsTo('/push')).toHaveLength(1);
    });
  });

  it('should fail a send the thread could not finish before closing as transient, and refuse sends after', async () => {
    // Takes requests and never answers: the push stays in flight.
    const received: IncomingMessage[] = [];
    const silent: Server = createServer((request) => received.push(request));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const channels = await startPhxChannels({
      PUSH_PROVIDER: 'webhook',
      PUSH_WEBHOOK_URL: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/push`,
      PUSH_TIMEOUT_MS: '60000',
    });
    try {
      const push = channels.get<PushProvider>(PUSH_PROVIDER);
      const email = channels.get<EmailSender>(EMAIL_SENDER);
      const inFlight = push.send(aPush('req-thread-2'), ['tok-a', 'tok-b']);
      await waitFor('the push to reach the silent endpoint', () =>
        received.length === 1 ? true : undefined,
      );

      await channels.close();
      const report = await inFlight;

      expect(report.sent).toEqual([]);
      expect(report.failed).toEqual(
        ['tok-a', 'tok-b'].map((token) => ({
          token,
          transient: true,
          reason: expect.stringMatching(/^the channel thread stopped/),
        })),
      );
      const refused = await email
        .send('req-thread-3', {
          emailType: EmailType.TRANSACTION_BASIC,
          to: 'parent@example.com',
          subject: 'S',
          title: 'T',
          previewText: 'P',
          content: 'C',
        })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ChannelError);
      expect(refused).toMatchObject({ transient: true, reason: 'the channel thread is closing' });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
