import { contentKey } from '../../../apps/signal/src/common/content-key';
import { LegacyV1Envelope, legacyV1Minimum } from '../../fixtures/legacy-v1';
import { waitFor } from '../../support/wait-for';
import { DeadLetter, LegacyRabbitHarness } from './legacy-rabbit-harness';

describe('Legacy V1 events: duplicates and dead letters (real RabbitMQ, PostgreSQL, Kafka)', () => {
  let harness: LegacyRabbitHarness;

  beforeAll(async () => {
    harness = await LegacyRabbitHarness.create('dlq');
    await harness.start();
    await harness.enable('PAYMENT:PAYMENT_COMPLETED');
    await harness.enable('LOAPHUONG:ANNOUNCEMENT_CREATED');
  });

  /** Seed 003's minimum envelope (no eventId, timestamp, metadata) for one user. */
  function minimumFor(userId: string, adjust: (event: LegacyV1Envelope) => void = () => {}) {
    const event = legacyV1Minimum();
    event.payload.notification.targetUsers = [userId];
    adjust(event);
    return event;
  }

  afterAll(async () => {
    await harness?.close();
  });

  it('should deliver the same eventId once, also when its copy differs', async () => {
    const event = harness.example('payment');
    const copy = { ...event, payload: { ...event.payload, contentId: 'payment-other' } };

    await harness.publish(event);
    await harness.processed(event.eventId);
    await harness.publish(copy);
    await harness.publish(event);
    // A later event on the same queue went through, so the copies were handled before it.
    const later = harness.example('payment');
    await harness.publish(later);
    await harness.processed(later.eventId);

    const requests = await harness.requestsOf(event.eventId);
    expect(requests).toHaveLength(1);
    expect(requests[0].payload.inApp?.payload.contentId).toBe('payment-789');
    expect(await harness.settledRecordsOf(event.eventId, 1)).toHaveLength(1);
  });

  it('should deliver an event without eventId once, also re-published re-serialized, and a different one too', async () => {
    const event = minimumFor('dup-user');
    // The same event as another publisher's serializer writes it: keys in another order, indented.
    const { notification, sourceService, contentId } = event.payload;
    const reserialized = JSON.stringify(
      {
        payload: {
          contentId,
          notification: Object.fromEntries(Object.entries(notification).reverse()),
          sourceService,
        },
        eventType: event.eventType,
      },
      null,
      2,
    );
    const other = minimumFor('dup-user', (e) => (e.payload.contentId = 'announcement-124'));

    await harness.publish(event);
    await harness.processed(contentKey(event));
    await harness.publish(event);
    await harness.publish(reserialized, { eventType: event.eventType });
    // Published after the copies, so they were handled before it.
    await harness.publish(other);
    await harness.processed(contentKey(other));

    const requests = await harness.requestsFor('dup-user');
    expect(requests.map((request) => request.payload.inApp?.payload.contentId)).toEqual([
      'announcement-123',
      'announcement-124',
    ]);
    expect(await harness.settledRecordsFor('dup-user', 2)).toHaveLength(2);
    expect(await harness.takeDeadLetters()).toEqual([]);
  });

  it('should dead-letter each kind of invalid event with its reason, and go on with the next valid one', async () => {
    const invalid: [string, string | ReturnType<LegacyRabbitHarness['example']>][] = [
      ['bad JSON', '{"eventId": "half'],
      ['not an object', '["an", "array"]'],
      [
        'long title',
        harness.example('payment', (e) => (e.payload.notification.title = 'x'.repeat(201))),
      ],
      [
        'long body',
        harness.example('payment', (e) => (e.payload.notification.body = 'y'.repeat(1001))),
      ],
      ['bad type', harness.example('payment', (e) => (e.payload.notification.type = 'gossip'))],
      [
        'bad priority',
        harness.example('payment', (e) => (e.payload.notification.priority = 'asap')),
      ],
      ['no channel', harness.example('payment', (e) => (e.payload.notification.channels = []))],
      [
        'unknown channel',
        harness.example('payment', (e) => (e.payload.notification.channels = ['sms'])),
      ],
      ['bad eventType', harness.example('payment', (e) => (e.eventType = 'PaymentCompleted'))],
      [
        'script redirect',
        harness.example(
          'payment',
          (e) => (e.payload.notification.redirectUrl = 'javascript:alert(document.cookie)'),
        ),
      ],
      ['no sourceService', harness.example('payment', (e) => (e.payload.sourceService = ''))],
      [
        'nested 20,000 deep',
        JSON.stringify(harness.example('payment')).replace(
          '"data":{',
          `"data":{"deep":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)},`,
        ),
      ],
      [
        'no target named',
        harness.example('payment', (e) => (e.payload.notification.targetUsers = [])),
      ],
      // As seed 003 writes it: valid but for naming nobody. A string, as it has no eventId.
      ['the seed minimum as written', JSON.stringify(legacyV1Minimum())],
      [
        'role without members',
        harness.example('payment', (e) => {
          delete e.payload.notification.targetUsers;
          e.payload.notification.targetRoles = ['NOBODY'];
        }),
      ],
    ];
    const expectedReasons: Record<string, RegExp> = {
      'bad JSON': /^body is not JSON: /,
      'not an object': /^body must be a JSON object/,
      'long title': /payload\.notification\.title: title must be shorter than or equal to 200/,
      'long body': /payload\.notification\.body: body must be shorter than or equal to 1000/,
      'bad type': /payload\.notification\.type: type must be one of the following values/,
      'bad priority': /payload\.notification\.priority: priority must be one of/,
      'no channel': /payload\.notification\.channels: channels should not be empty/,
      'unknown channel': /payload\.notification\.channels: each value in channels must be one of/,
      'bad eventType': /^eventType: eventType must be shaped \{service\}\.\{EventName\}/,
      'script redirect':
        /^payload\.notification\.redirectUrl: .*an http\(s\) URL or a relative path/,
      'no sourceService': /payload\.sourceService: sourceService must be/,
      'nested 20,000 deep': /^body nests objects and arrays deeper than 32 levels$/,
      'no target named':
        /^no target: payload\.notification names neither targetUsers nor targetRoles$/,
      'the seed minimum as written':
        /^no target: payload\.notification names neither targetUsers nor targetRoles$/,
      'role without members': /^no target: .*targetRoles \[NOBODY\] have no members/,
    };

    for (const [, event] of invalid) await harness.publish(event, { eventType: 'payment.Garbled' });
    const valid = harness.example('payment');
    await harness.publish(valid);

    await harness.processed(valid.eventId);
    const collected: DeadLetter[] = [];
    const deadLetters = await waitFor('every invalid event in the dead-letter queue', async () => {
      const taken = await harness.takeDeadLetters();
      collected.push(...taken);
      return collected.length >= invalid.length ? collected : undefined;
    });
    expect(deadLetters).toHaveLength(invalid.length);
    for (const [kind, event] of invalid) {
      const letter = deadLetters.find((candidate) =>
        typeof event === 'string'
          ? candidate.body === event
          : (candidate.event as { eventId?: string }).eventId === event.eventId,
      );
      expect({ kind, reason: letter?.reason }).toEqual({
        kind,
        reason: expect.stringMatching(expectedReasons[kind]),
      });
      expect(letter?.stage).toBe(kind === 'role without members' ? 'delivery' : 'ingress');
    }
    expect(await harness.requestsOf(valid.eventId)).toHaveLength(1);
    expect(await harness.messagesIn(harness.queue)).toBe(0);
  });
});
