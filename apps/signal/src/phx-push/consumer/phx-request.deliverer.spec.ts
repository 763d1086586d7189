import {
  PhxChannelSettlement,
  PhxDeliveryRepository,
  PhxDeliveryState,
  PhxDeviceTokenRepository,
  PhxNotificationRecordRepository,
  PhxRequestOutcome,
} from '@signal/persistence';
import { SignalConfig } from '../../config/signal-config';
import { SignalMetrics } from '../../metrics/signal-metrics';
import { NotificationSocketEventService } from '../../signal-gateway/socket/notification-socket-event.service';
import { PushProvider, PushSendReport } from '../channels/push-provider';
import { EmailSender } from '../channels/email-sender';
import { ChannelRetryPolicy } from './channel-retry.policy';
import { EmailChannelSender } from './email.channel-sender';
import { PhxInAppDelivery } from './in-app.delivery';
import { PhxDeliveryClaims } from './phx-delivery-claims';
import { PhxRequestDeliverer } from './phx-request.deliverer';
import { PushChannelSender } from './push.channel-sender';

const CHUNK_SIZE = 2;

/** Accepted requests with a record already and only push left, in an in-memory database. */
function aDatabase(count: number) {
  const states = new Map<string, PhxDeliveryState>(
    Array.from({ length: count }, (_, n) => [
      `r${n}`,
      {
        requestId: `r${n}`,
        userId: `u${n}`,
        studentId: null,
        type: 'TO_ME',
        actionCode: 'FEE:NOTICE',
        hostname: 'portal.phx.vn',
        payload: {
          pushNotiMobile: { title: 't', message: 'm', module_code: 'FEE', app: 'A', payload: {} },
        },
        status: 'accepted',
        correlationId: null,
        recorded: true,
        deliveries: [{ channel: 'push', status: 'pending', reason: null, attempts: 0 }],
      },
    ]),
  );
  const deliveries = {
    loadMany: jest.fn((ids: string[]) =>
      Promise.resolve(
        new Map(ids.flatMap((id) => (states.has(id) ? [[id, states.get(id)!]] : []))),
      ),
    ),
    settleInApp: jest.fn(() => Promise.resolve()),
    claimMany: jest.fn((channels: { requestId: string; channel: 'push' }[]) =>
      Promise.resolve(channels.map((c) => ({ ...c, attempts: 1 }))),
    ),
    settleMany: jest.fn((settlements: PhxChannelSettlement[]) => {
      for (const { requestId, status, reason } of settlements) {
        const state = states.get(requestId)!;
        state.deliveries = [{ channel: 'push', status, reason, attempts: 1 }];
      }
      return Promise.resolve(settlements.map(({ requestId, channel }) => ({ requestId, channel })));
    }),
    completeMany: jest.fn((_outcomes: PhxRequestOutcome[]) => Promise.resolve()),
  };
  return { states, deliveries };
}

/** A push provider whose sends stay in flight until `release`; counts the most at once. */
function aSlowPushProvider() {
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const provider = {
    name: 'slow',
    mostAtOnce: 0,
    send: jest.fn((_message: unknown, tokens: string[]): Promise<PushSendReport> => {
      inFlight++;
      provider.mostAtOnce = Math.max(provider.mostAtOnce, inFlight);
      return new Promise((resolve) =>
        waiting.push(() => {
          inFlight--;
          resolve({ sent: tokens, dead: [], failed: [] });
        }),
      );
    }),
    release: () => waiting.splice(0).forEach((finish) => finish()),
    close: () => Promise.resolve(),
  };
  return provider;
}

function aDeliverer(
  deliveries: Partial<PhxDeliveryRepository>,
  pushProvider: Partial<PushProvider>,
  sockets: Partial<NotificationSocketEventService> = {},
): PhxRequestDeliverer {
  const config = {
    phx: {
      deliveryMaxAttempts: 5,
      deliveryLeaseMs: 60_000,
      retryInitialMs: 1000,
      retryMaxMs: 60_000,
      deliveryChunkSize: CHUNK_SIZE,
    },
    shutdown: { timeoutMs: 10_000 },
  } as SignalConfig;
  // Each record as stored (or found stored): what the socket event announces.
  const records = {
    insertMany: (rows: { requestId: string; userId: string }[]) =>
      Promise.resolve(rows.map((record) => ({ record, created: true }))),
    updateChannelStatuses: () => Promise.resolve(),
  } as unknown as PhxNotificationRecordRepository;
  const devices = {
    activeTokensOf: (owners: { userId: string; app: string }[]) =>
      Promise.resolve(owners.map((owner) => ({ ...owner, tokens: [`${owner.userId}-phone`] }))),
    deactivate: () => Promise.resolve(0),
  } as unknown as PhxDeviceTokenRepository;
  const metrics = { phxDeliveries: { inc: () => undefined } } as unknown as SignalMetrics;
  const repository = deliveries as PhxDeliveryRepository;
  const retry = new ChannelRetryPolicy(config);
  return new PhxRequestDeliverer(
    config,
    repository,
    new PhxInAppDelivery(repository, records, sockets as NotificationSocketEventService, metrics),
    new PhxDeliveryClaims(config, repository, records, devices, metrics),
    new PushChannelSender(pushProvider as PushProvider, devices, retry),
    new EmailChannelSender({} as EmailSender, retry),
  );
}

/** An accepted request with only in_app, not recorded yet. */
function anInAppRequest(requestId: string): PhxDeliveryState {
  return {
    requestId,
    userId: 'u1',
    studentId: null,
    type: 'TO_ME',
    actionCode: 'FEE:NOTICE',
    hostname: 'portal.phx.vn',
    payload: { inApp: { title: 't', message: 'm' } },
    status: 'accepted',
    correlationId: null,
    recorded: false,
    deliveries: [{ channel: 'in_app', status: 'pending', reason: null, attempts: 0 }],
  };
}

/** Lets the deliverer's pending promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe(PhxRequestDeliverer.name, () => {
  it('should send chunks of PHX_DELIVERY_CHUNK_SIZE requests, four at once, claiming and settling each chunk in one call', async () => {
    const ids = Array.from({ length: 9 }, (_, n) => `r${n}`);
    const { deliveries } = aDatabase(ids.length);
    const push = aSlowPushProvider();
    const sut = aDeliverer(deliveries, push);

    const delivered = sut.deliverDue(ids.map((requestId) => ({ requestId })));
    await settle();
    // Four chunks of two claimed and sending; the fifth waits for a slot.
    expect(push.send).toHaveBeenCalledTimes(4 * CHUNK_SIZE);
    expect(deliveries.claimMany).toHaveBeenCalledTimes(4);
    for (let round = 0; round < 2; round++) {
      push.release();
      await settle();
    }
    await delivered;

    expect(push.mostAtOnce).toBe(4 * CHUNK_SIZE);
    expect(deliveries.claimMany.mock.calls.map(([channels]) => channels.length)).toEqual([
      2, 2, 2, 2, 1,
    ]);
    expect(deliveries.settleMany.mock.calls.map(([settled]) => settled.length)).toEqual([
      2, 2, 2, 2, 1,
    ]);
    expect(deliveries.completeMany.mock.calls.flatMap(([outcomes]) => outcomes)).toEqual(
      ids.map((requestId) => ({ requestId, status: 'delivered', reason: null })),
    );
  });

  it('should not announce a record again when the batch is retried after its in_app settle met a database outage', async () => {
    const state = anInAppRequest('r1');
    const outage = new Error('Connection terminated unexpectedly');
    const deliveries = {
      loadMany: jest.fn(() => Promise.resolve(new Map([['r1', state]]))),
      settleInApp: jest
        .fn<Promise<void>, []>()
        .mockRejectedValueOnce(outage)
        .mockResolvedValue(undefined),
    };
    const sockets = {
      notifyNotificationCenterRecordCreated: jest.fn(),
      writePublishesNow: jest.fn(),
    };
    const sut = aDeliverer(deliveries, {}, sockets);

    // The Kafka batch fails, and is retried: the record is found stored, in_app still pending.
    await expect(sut.deliverAccepted([{ requestId: 'r1' }])).rejects.toBe(outage);
    await sut.deliverAccepted([{ requestId: 'r1' }]);

    expect(deliveries.settleInApp).toHaveBeenCalledTimes(2);
    expect(sockets.notifyNotificationCenterRecordCreated).toHaveBeenCalledTimes(1);
    expect(sockets.writePublishesNow).toHaveBeenCalledTimes(1);
  });

  it('should make the channels of a chunk whose claim met a database outage due once it is back, rather than when their lease runs out', async () => {
    const { deliveries } = aDatabase(2);
    const outage = new Error('Connection terminated unexpectedly');
    deliveries.claimMany.mockRejectedValueOnce(outage);
    const dueNow = jest
      .fn<Promise<void>, [string[]]>()
      .mockRejectedValueOnce(outage)
      .mockResolvedValue(undefined);
    const push = aSlowPushProvider();
    const sut = aDeliverer({ ...deliveries, dueNow }, push);

    await sut.deliverAccepted([{ requestId: 'r0' }, { requestId: 'r1' }]);
    await settle();
    expect(dueNow).toHaveBeenCalledTimes(1);
    // Shutdown gives the hand-back still retried its last chance at once.
    await sut.onModuleDestroy();

    expect(dueNow).toHaveBeenCalledTimes(2);
    expect(dueNow).toHaveBeenLastCalledWith(['r0', 'r1']);
    expect(push.send).not.toHaveBeenCalled();
  });

  it('should finish the chunks being sent on shutdown and leave the queued ones due in the database', async () => {
    const ids = Array.from({ length: 10 }, (_, n) => `r${n}`);
    const { states, deliveries } = aDatabase(ids.length);
    const push = aSlowPushProvider();
    const sut = aDeliverer(deliveries, push);

    await sut.deliverAccepted(ids.map((requestId) => ({ requestId })));
    // Handed to the background: due in the database before the Kafka batch is committed.
    expect(deliveries.settleInApp).toHaveBeenCalledWith(
      expect.objectContaining({ due: ids, dueInMs: 60_000 }),
    );
    await settle();
    expect(push.send).toHaveBeenCalledTimes(4 * CHUNK_SIZE);

    let closed = false;
    const closing = sut.onModuleDestroy().then(() => (closed = true));
    await settle();
    expect(closed).toBe(false);
    push.release();
    await closing;

    expect(deliveries.claimMany).toHaveBeenCalledTimes(4);
    expect([...states.values()].map((state) => state.deliveries[0].status)).toEqual([
      ...Array<string>(8).fill('sent'),
      'pending',
      'pending',
    ]);
  });
});
