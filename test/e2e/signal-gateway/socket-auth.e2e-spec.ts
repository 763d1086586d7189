import { randomUUID } from 'node:crypto';
import { NotificationWebSocketTopics } from '@signal/core';
import { PhxNotificationRecordView } from '@signal/persistence';
import { Socket } from 'socket.io-client';
import { NotificationSocketEventService } from '../../../apps/signal/src/signal-gateway/socket/notification-socket-event.service';
import { SignalGateway } from '../../../apps/signal/src/signal-gateway/socket/signal.gateway';
import { aNotificationFor, persistAndNotify } from '../../support/activity-notifications';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';
import {
  collect,
  connectSocket,
  refusedWith,
  settle,
  waitForCount,
} from '../../support/socket-client';
import { userToken } from '../../support/tokens';
import type { TestSchema } from '@signal/persistence/testing/test-schema';

const CREATED = NotificationWebSocketTopics.NOTIFICATION_CREATED;
const RECORD_CREATED = NotificationWebSocketTopics.NOTIFICATION_CENTER_RECORD_CREATED;

function aNotificationCenterRecordFor(userId: string): PhxNotificationRecordView {
  return {
    id: randomUUID(),
    seq: '1',
    requestId: randomUUID(),
    userId,
    studentId: null,
    type: 'TO_ME',
    actionCode: 'FEE:NOTICE',
    moduleCode: 'FEE',
    title: 'Học phí',
    message: 'Private to this user',
    payload: {},
    hostname: 'portal.phx.vn',
    channelStatus: {},
    inCenter: true,
    isRead: false,
    createdAt: new Date(),
  };
}

describe('Socket.IO handshake: authentication and rooms (real Redis, PostgreSQL, socket.io-client)', () => {
  let db: TestSchema;
  let signal: SignalTestApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    db = await createTestSchema('socket-auth');
    signal = await startSignalTestApp(db);
  });

  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));

  afterAll(async () => {
    await signal.close();
    await db.drop();
  });

  const connect = async (auth: Record<string, unknown>) => {
    const socket = await connectSocket(signal.baseUrl, auth);
    sockets.push(socket);
    return socket;
  };

  it.each([
    ['no token', {}, 'TOKEN_MISSING', /token missing/],
    ['a malformed token', { token: 'abc.def' }, 'TOKEN_MALFORMED', /token malformed/],
    [
      'a forged token',
      { token: userToken({ sub: 'u-1' }, { secret: 'not-the-server-secret-0123456789' }) },
      'TOKEN_INVALID',
      /invalid signature/,
    ],
    [
      'an expired token',
      { token: userToken({ sub: 'u-1' }, { expiresIn: -5 }) },
      'TOKEN_EXPIRED',
      /expired at/,
    ],
    [
      'a token without sub',
      { token: userToken({ sub: '' }) },
      'TOKEN_CLAIMS_INVALID',
      /claim "sub"/,
    ],
    [
      'a lastNotificationId that is not a UUID',
      { token: userToken({ sub: 'u-1' }), lastNotificationId: 'latest' },
      'INVALID_INPUT',
      /lastNotificationId must be a UUID/,
    ],
    [
      'a lastNotificationId of nobody',
      {
        token: userToken({ sub: 'u-1' }),
        lastNotificationId: '00000000-0000-4000-8000-000000000000',
      },
      'NOT_FOUND',
      /not a notification of this user/,
    ],
  ])('should refuse %s with a connect_error saying why', async (_, auth, code, message) => {
    const error = await refusedWith(signal.baseUrl, auth);
    expect(error.message).toMatch(message);
    expect(error.data).toEqual({ code });
  });

  it('should accept the token from an Authorization: Bearer header too', async () => {
    const { io } = await import('socket.io-client');
    const socket = io(signal.baseUrl, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { Authorization: `Bearer ${userToken({ sub: 'header-user' })}` },
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    expect(socket.connected).toBe(true);
  });

  it('should put a valid token in its user, organizer and merchant rooms and nothing else', async () => {
    const socket = await connect({
      token: userToken({ sub: 'u-rooms', organizerId: 'org-rooms', merchantIds: ['m-1', 'm-2'] }),
    });

    const [serverSide] = await signal.app.get(SignalGateway).server.in(socket.id!).fetchSockets();
    expect([...serverSide.rooms].sort()).toEqual(
      [
        socket.id,
        'signal/notification/u-rooms',
        'signal/notification/org-rooms',
        'signal/notification/m-1',
        'signal/notification/m-2',
        'signal/notification-center/user/u-rooms',
      ].sort(),
    );
  });

  it("should never show one user another user's events, while both are connected", async () => {
    const alice = await connect({ token: userToken({ sub: 'alice', organizerId: 'org-a' }) });
    const bob = await connect({
      token: userToken({ sub: 'bob', organizerId: 'org-b', merchantIds: ['m-b'] }),
    });
    const toAlice = collect<{ id: string; content: string }>(alice, CREATED);
    const toBob = collect<{ id: string }>(bob, CREATED);

    const [forAlice, forAliceOrg, forBob, forBobMerchant] = await persistAndNotify(signal.app, [
      aNotificationFor('alice', { content: 'for alice' }),
      aNotificationFor('org-a', { recipientScope: 'org' }),
      aNotificationFor('bob'),
      aNotificationFor('m-b', { recipientScope: 'merchant' }),
    ]);

    await waitForCount(toAlice, 2, 'alice to get her two notifications');
    await waitForCount(toBob, 2, 'bob to get his two notifications');
    await settle();
    expect(toAlice.map((payload) => payload.id)).toEqual([forAlice.id, forAliceOrg.id]);
    expect(toBob.map((payload) => payload.id)).toEqual([forBob.id, forBobMerchant.id]);
    expect(toAlice[0]).toEqual({
      id: forAlice.id,
      type: 'PAYMENT_SUCCESS',
      organizerId: 'org-test',
      content: 'for alice',
      actionUrl: '/payments/p-1',
      data: { payment: { subject: 'Học phí' } },
      isRead: false,
      createdAt: forAlice.createdAt.toISOString(),
    });
  });

  it("should send a user's Notification Center record to that user only, not to an organizer or merchant of the same id", async () => {
    const organizerSameId = await connect({
      token: userToken({ sub: 'someone-else', organizerId: '700330' }),
    });
    const merchantSameId = await connect({
      token: userToken({ sub: 'another-one', merchantIds: ['700330'] }),
    });
    const theUser = await connect({ token: userToken({ sub: '700330' }) });
    const toOrganizer = collect(organizerSameId, RECORD_CREATED);
    const toMerchant = collect(merchantSameId, RECORD_CREATED);
    const toUser = collect<{ id: string }>(theUser, RECORD_CREATED);

    const record = aNotificationCenterRecordFor('700330');
    signal.app.get(NotificationSocketEventService).notifyNotificationCenterRecordCreated(record);

    await waitForCount(toUser, 1, 'the user to get the record');
    await settle();
    expect(toUser.map((payload) => payload.id)).toEqual([record.id]);
    expect(toOrganizer).toEqual([]);
    expect(toMerchant).toEqual([]);
  });

  it('should not let a client join a room by asking', async () => {
    const mallory = await connect({ token: userToken({ sub: 'mallory' }) });
    const received = collect(mallory, CREATED);
    mallory.emit('join', 'signal/notification/alice');
    mallory.emit('subscribe', { room: 'signal/notification/alice' });

    await persistAndNotify(signal.app, [aNotificationFor('alice')]);
    await settle(500);

    expect(received).toEqual([]);
    const [serverSide] = await signal.app.get(SignalGateway).server.in(mallory.id!).fetchSockets();
    expect([...serverSide.rooms].sort()).toEqual(
      [mallory.id, 'signal/notification/mallory', 'signal/notification-center/user/mallory'].sort(),
    );
  });
});
