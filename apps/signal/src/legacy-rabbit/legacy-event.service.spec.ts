import 'reflect-metadata';
import { LegacyEventRepository, LegacyRoleDirectoryRepository } from '@signal/persistence';
import { ConsumeMessage } from 'amqplib';
import {
  PhxPushErrorCode,
  PhxPushHttpException,
  PHXPushNotificationService,
  PhxPushPayload,
  PhxSendResult,
} from 'phx-node';
import {
  legacyV1Example,
  LegacyV1Envelope,
  legacyV1Minimum,
} from '../../../../test/fixtures/legacy-v1';
import { loadSignalConfig } from '../config/signal-config';
import { LegacyEventService } from './legacy-event.service';
import { LegacyRabbitBroker } from './legacy-rabbit.broker';

function messageOf(event: LegacyV1Envelope): ConsumeMessage {
  return {
    content: Buffer.from(JSON.stringify(event)),
    fields: { routingKey: event.eventType },
    properties: {},
  } as unknown as ConsumeMessage;
}

/** The Producer as seen through the library: answers per user as told. */
class FakePhx {
  readonly sent: { payload: PhxPushPayload; idempotencyKey?: string }[] = [];
  readonly answers = new Map<string, () => PhxSendResult>();

  send(payload: PhxPushPayload, { idempotencyKey }: { idempotencyKey?: string } = {}) {
    this.sent.push({ payload, idempotencyKey });
    const answer = this.answers.get(String(payload.user_id));
    return Promise.resolve(answer ? answer() : { status: 'accepted', message: 'ok' });
  }
}

describe(LegacyEventService.name, () => {
  let phx: FakePhx;
  let processed: Set<string>;
  let scheduled: string[];
  let enqueued: { eventKey: string; priority: number }[];
  let sut: LegacyEventService;

  beforeEach(() => {
    phx = new FakePhx();
    processed = new Set();
    scheduled = [];
    enqueued = [];
    const events = {
      isProcessed: (id: string) => Promise.resolve(processed.has(id)),
      markProcessed: (id: string) => Promise.resolve(void processed.add(id)),
      schedule: ({ eventKey }: { eventKey: string }) => Promise.resolve(!!scheduled.push(eventKey)),
    } as unknown as LegacyEventRepository;
    const roles = {
      distinctMembers: (names: string[]) =>
        Promise.resolve(names.includes('RESIDENT') ? ['r-1', 'shared'] : []),
    } as unknown as LegacyRoleDirectoryRepository;
    const broker = {
      enqueueForDelivery: (
        _: Buffer,
        { eventKey, priority }: { eventKey: string; priority: number },
      ) => Promise.resolve(void enqueued.push({ eventKey, priority })),
    } as unknown as LegacyRabbitBroker;
    sut = new LegacyEventService(
      loadSignalConfig({ SIGNAL_DEV_CREDENTIALS: 'true' }),
      broker,
      events,
      roles,
      phx as unknown as PHXPushNotificationService,
    );
  });

  describe('ingest', () => {
    it('should enqueue with the AMQP priority of notification.priority', async () => {
      const event = legacyV1Example('task');

      expect(await sut.ingest(messageOf(event))).toEqual({ kind: 'ack' });
      expect(enqueued).toEqual([{ eventKey: 'event-task-456', priority: 3 }]);
    });

    it('should enqueue and park an event without eventId under the hash of its body', async () => {
      const now = legacyV1Minimum();
      now.payload.notification.targetUsers = ['u-1'];
      const later = legacyV1Minimum();
      later.payload.notification.targetUsers = ['u-1'];
      later.payload.notification.scheduledAt = new Date(Date.now() + 60_000).toISOString();

      await sut.ingest(messageOf(now));
      await sut.ingest(messageOf(later));

      expect(enqueued).toEqual([{ eventKey: expect.stringMatching(/^sha256:/), priority: 2 }]);
      expect(scheduled).toEqual([expect.stringMatching(/^sha256:/)]);
      expect(scheduled[0]).not.toBe(enqueued[0].eventKey);
    });

    it('should park an event scheduled in the future instead', async () => {
      const event = legacyV1Example('task');
      event.payload.notification.scheduledAt = new Date(Date.now() + 60_000).toISOString();

      expect(await sut.ingest(messageOf(event))).toEqual({ kind: 'ack' });
      expect(scheduled).toEqual(['event-task-456']);
      expect(enqueued).toEqual([]);
    });
  });

  describe('deliver', () => {
    it('should send once per distinct target with stable idempotency keys, then remember the event', async () => {
      const event = legacyV1Example('loaphuong');
      event.payload.notification.targetUsers = ['shared', 'u-1'];

      expect(await sut.deliver(messageOf(event))).toEqual({ kind: 'ack' });
      expect(phx.sent.map((call) => call.payload.user_id)).toEqual(['shared', 'u-1', 'r-1']);
      expect(new Set(phx.sent.map((call) => call.idempotencyKey)).size).toBe(3);
      expect(processed.has(event.eventId)).toBe(true);

      expect(await sut.deliver(messageOf(event))).toEqual({ kind: 'ack' });
      expect(phx.sent).toHaveLength(3);
    });

    it('should deliver an event without eventId once, its payload without one', async () => {
      const event = legacyV1Minimum();
      event.payload.notification.targetUsers = ['u-1'];
      const copy = JSON.stringify(event, null, 2);

      expect(await sut.deliver(messageOf(event))).toEqual({ kind: 'ack' });
      expect(await sut.deliver({ ...messageOf(event), content: Buffer.from(copy) })).toEqual({
        kind: 'ack',
      });

      expect(phx.sent).toHaveLength(1);
      expect(phx.sent[0].payload.inApp?.payload).not.toHaveProperty('eventId');
      expect([...processed]).toEqual([expect.stringMatching(/^sha256:[0-9a-f]{64}$/)]);
    });

    it('should dead-letter an event the Producer refused for a user, after serving the others', async () => {
      const event = legacyV1Example('loaphuong');
      phx.answers.set('r-1', () => {
        throw new PhxPushHttpException(PhxPushErrorCode.REJECTED, 409, 'conflict', {}, 'refused');
      });

      const outcome = await sut.deliver(messageOf(event));

      expect(outcome).toEqual({
        kind: 'dead-letter',
        reason: 'the Producer refused 1 of 2 users: user r-1: refused',
      });
      expect(phx.sent.map((call) => call.payload.user_id)).toEqual(['r-1', 'shared']);
      expect(processed.has(event.eventId)).toBe(false);
    });

    it.each([
      [PhxPushErrorCode.UNAUTHORIZED, 401],
      [PhxPushErrorCode.UNAUTHORIZED, 403],
      [PhxPushErrorCode.REJECTED, 413],
    ])('should dead-letter an event the Producer refused with %s %d', async (code, status) => {
      const event = legacyV1Example('payment');
      phx.answers.set('user-123', () => {
        throw new PhxPushHttpException(code, status, 'no', {}, `answered ${status}`);
      });

      expect(await sut.deliver(messageOf(event))).toEqual({
        kind: 'dead-letter',
        reason: `the Producer refused 1 of 1 users: user user-123: answered ${status}`,
      });
    });

    it.each([
      [PhxPushErrorCode.PRODUCER_UNAVAILABLE, 503],
      [PhxPushErrorCode.PRODUCER_UNAVAILABLE, null],
      [PhxPushErrorCode.REJECTED, 429],
    ])(
      'should put the event off when the Producer answers %s %s for a user, refusals or not',
      async (code, status) => {
        const event = legacyV1Example('loaphuong');
        phx.answers.set('r-1', () => {
          throw new PhxPushHttpException(code, status, '', {}, 'not now');
        });
        phx.answers.set('shared', () => {
          throw new PhxPushHttpException(PhxPushErrorCode.REJECTED, 409, '', {}, 'refused');
        });

        expect(await sut.deliver(messageOf(event))).toEqual({ kind: 'retry', reason: 'not now' });
        expect(processed.has(event.eventId)).toBe(false);
      },
    );

    it('should dead-letter an event whose roles have no members', async () => {
      const event = legacyV1Example('loaphuong');
      event.payload.notification.targetRoles = ['NOBODY'];

      expect(await sut.deliver(messageOf(event))).toEqual({
        kind: 'dead-letter',
        reason: 'no target: targetUsers is empty and targetRoles [NOBODY] have no members',
      });
    });
  });
});
