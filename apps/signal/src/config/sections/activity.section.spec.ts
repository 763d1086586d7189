import { loadWithDevCredentials } from '../config-testing';
import { parseActivity } from './activity.section';

describe(parseActivity.name, () => {
  it('should merge configured templates over the built-in ones', () => {
    const sut = loadWithDevCredentials({
      ACTIVITY_NOTIFICATION_TEMPLATES: JSON.stringify({
        REFUND_DONE: { content: '{actor.name} refunded {data.amount}' },
        PAYMENT_SUCCESS: { content: 'paid', actionUrl: null },
      }),
    });
    expect(sut.activity.templates).toEqual({
      PAYMENT_SUCCESS: { content: 'paid', actionUrl: null },
      REFUND_DONE: { content: '{actor.name} refunded {data.amount}', actionUrl: null },
    });
  });

  it.each([
    ['{not json', 'must be JSON'],
    ['[]', 'must be an object'],
    ['{"lower":{"content":"x"}}', 'event type "lower" must be UPPER_SNAKE_CASE'],
    ['{"A":{"content":""}}', 'A.content must be a non-empty string'],
    ['{"A":{"content":"x","actionUrl":5}}', 'A.actionUrl must be a string or null'],
  ])('should refuse templates %s', (json, message) => {
    expect(() => loadWithDevCredentials({ ACTIVITY_NOTIFICATION_TEMPLATES: json })).toThrow(
      `- ACTIVITY_NOTIFICATION_TEMPLATES: ${message}`,
    );
  });
});
