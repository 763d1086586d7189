import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ACTIVITY_NOTIFICATION_MAX_RECIPIENT_IDS } from '@signal/core';
import { ActivityNotificationMessageDto } from './activity-notification-message.dto';

const VALID_MESSAGE = {
  eventType: 'PAYMENT_SUCCESS',
  recipientScope: 'users',
  recipientIds: ['u-1', 'u-2', 'u-1'],
  actorId: 'a-1',
  actor: { id: 'a-1', name: 'Chị Lan', type: 'parent' },
  organizerId: 'org-1',
  data: { payment: { id: 'p-1', subject: 'Học phí' } },
  occurredAt: '2026-12-01T10:00:00Z',
  eventId: 'e-1',
};

const withField = (field: string, value: unknown) => ({ ...VALID_MESSAGE, [field]: value });
const without = (field: string) => withField(field, undefined);
const nested = (levels: number): unknown => (levels === 0 ? 1 : { a: nested(levels - 1) });
const ids = (count: number) => Array.from({ length: count }, (_, n) => `u-${n}`);

/** Messages as `JSON.parse` gives them (undefined fields are absent). */
const asParsed = (message: object) =>
  JSON.parse(JSON.stringify(message)) as Record<string, unknown>;

const VALID = [
  VALID_MESSAGE,
  { ...without('recipientIds'), recipientScope: 'org' },
  { ...without('recipientIds'), recipientScope: 'merchant', merchantId: 'm-1' },
  withField('merchantId', 'm-1'),
  withField('recipientIds', ids(ACTIVITY_NOTIFICATION_MAX_RECIPIENT_IDS)),
  without('eventId'),
  withField('eventId', null),
  withField('eventId', 'e'.repeat(200)),
  // 200 characters as class-validator counts them (a surrogate pair is one), 400 UTF-16 units.
  withField('eventId', '😀'.repeat(200)),
  withField('occurredAt', '2026-12-01T10:00:00.123+07:00'),
  withField('occurredAt', '2026-12-01'),
  withField('data', {}),
  withField('data', { list: [1, 'two', null, true, { deep: [[]] }], big: 1e300, neg: -0 }),
  withField('data', nested(20)),
  withField('actor', { id: 'a-1', name: ' x ', type: 't', extra: [1] }),
  withField('unknownField', { any: 'thing' }),
  withField('actorId', 'x'.repeat(128)),
];

const OTHERS = [
  {},
  without('eventType'),
  withField('eventType', ''),
  withField('eventType', ' \t'),
  withField('eventType', 5),
  without('recipientScope'),
  withField('recipientScope', 'everyone'),
  withField('recipientScope', ['users']),
  without('actorId'),
  withField('actorId', 'has space'),
  withField('actorId', 'a/b'),
  withField('actorId', 'x'.repeat(129)),
  withField('actorId', 1),
  without('actor'),
  withField('actor', null),
  withField('actor', 'a-1'),
  withField('actor', { id: 'a-1', name: 'x' }),
  withField('actor', { id: 'a 1', name: 'x', type: 't' }),
  withField('actor', { id: 'a-1', name: '', type: 't' }),
  withField('actor', { id: 'a-1', name: 'x', type: 7 }),
  // Both accepted by the general path (an array passes `@ValidateNested`): left to it.
  withField('actor', [VALID_MESSAGE.actor]),
  withField('actor', []),
  without('organizerId'),
  withField('organizerId', ''),
  { ...without('recipientIds'), recipientScope: 'merchant' },
  { ...without('recipientIds'), recipientScope: 'merchant', merchantId: 'm 1' },
  withField('merchantId', null),
  withField('merchantId', 3),
  without('recipientIds'),
  withField('recipientIds', []),
  withField('recipientIds', 'u-1'),
  withField('recipientIds', ['u-1', 2]),
  withField('recipientIds', ['u 1']),
  withField('recipientIds', ids(ACTIVITY_NOTIFICATION_MAX_RECIPIENT_IDS + 1)),
  { ...VALID_MESSAGE, recipientScope: 'org', recipientIds: [] },
  without('data'),
  withField('data', null),
  withField('data', []),
  withField('data', 'text'),
  without('occurredAt'),
  withField('occurredAt', 'yesterday'),
  withField('occurredAt', '2026-02-30T10:00:00Z'),
  withField('occurredAt', 1764583200000),
  withField('eventId', ''),
  withField('eventId', 7),
  withField('eventId', 'e'.repeat(201)),
  // Valid, but class-transformer drops `constructor` keys: left to the general path.
  withField('data', { constructor: 'x', ok: 1 }),
  withField('data', { list: [{ prototype: {} }] }),
  withField('data', nested(40)),
];

type Outcome = { accepted: ActivityNotificationMessageDto } | { refused: string[] };

/** The general path: class-transformer and class-validator. */
function generalPath(message: Record<string, unknown>): Outcome {
  const dto = plainToInstance(ActivityNotificationMessageDto, message);
  const errors = validateSync(dto);
  return errors.length === 0
    ? { accepted: dto }
    : { refused: errors.map((error) => JSON.stringify(error.constraints)) };
}

describe(ActivityNotificationMessageDto.name, () => {
  it('should recognize every valid message without class-validator', () => {
    for (const message of VALID.map(asParsed)) {
      expect({ message, accepted: ActivityNotificationMessageDto.acceptValid(message) }).toEqual({
        message,
        accepted: expect.any(ActivityNotificationMessageDto),
      });
    }
  });

  it('should leave every other message to class-validator', () => {
    for (const message of OTHERS.map(asParsed)) {
      expect({ message, accepted: ActivityNotificationMessageDto.acceptValid(message) }).toEqual({
        message,
        accepted: undefined,
      });
    }
  });

  it('should accept only what the general path accepts, with the same values', () => {
    for (const message of [...VALID, ...OTHERS].map(asParsed)) {
      const accepted = ActivityNotificationMessageDto.acceptValid(message);
      if (accepted === undefined) continue;
      expect({ message, outcome: { accepted } }).toEqual({
        message,
        outcome: generalPath(asParsed(message)),
      });
    }
  });
});
