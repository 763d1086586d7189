import { loadSignalConfig } from '../config/signal-config';
import { KafkaInboundMessage } from '../kafka';
import { ActivityNotificationHandler } from './activity-notification.handler';
import { ActivityTemplateRegistry } from './templates/activity-template.registry';

function aMessage(value: object): KafkaInboundMessage {
  return {
    offset: '7',
    key: null,
    value: Buffer.from(JSON.stringify(value)),
    headers: {},
    timestamp: '0',
  };
}

describe(ActivityNotificationHandler.name, () => {
  const config = loadSignalConfig({
    NODE_ENV: 'test',
    SIGNAL_JWT_SECRET: 'unit-test-jwt-secret-0123456789',
    SIGNAL_API_KEYS: 'unit-test-api-key-0123456789',
  });
  const noRows = { insertIgnoringDuplicates: jest.fn(() => Promise.resolve([])) };
  const sut = new ActivityNotificationHandler(
    new ActivityTemplateRegistry(config),
    noRows as never,
    {} as never,
    config,
  );

  it('should dead-letter an unknown event type quoting only its start', async () => {
    const eventType = `${'a'.repeat(1_000_000)}@x`;
    const outcome = await sut.handle({
      topic: 'activity',
      partition: 0,
      messages: [
        aMessage({
          eventType,
          recipientScope: 'org',
          actorId: 'a-1',
          actor: { id: 'a-1', name: 'Jane', type: 'user' },
          organizerId: 'org-1',
          data: {},
          occurredAt: '2026-12-01T10:00:00Z',
        }),
      ],
    });

    expect(outcome).toEqual({
      kind: 'done',
      rejected: [
        {
          offset: '7',
          errorClass: 'UnknownEventType',
          message: `eventType ${'a'.repeat(100)}…[999902 more characters] has no template`,
        },
      ],
    });
  });
});
