import { PhxDeliveryState, PhxDeliveryStatus } from '@signal/persistence';
import {
  channelStatusOf,
  hasOpenExternalChannel,
  isFinished,
  isInAppPending,
  isOpen,
  outcomeOf,
  withInAppSent,
} from './delivery-state';

type Channel = PhxDeliveryState['deliveries'][number]['channel'];

/** An accepted request whose channels stand as `channels` says: `[channel, status, reason?]`. */
function aState(
  channels: [Channel, PhxDeliveryStatus, string?][],
  status: PhxDeliveryState['status'] = 'accepted',
): PhxDeliveryState {
  return {
    requestId: 'r1',
    userId: 'u1',
    studentId: null,
    type: 'TO_ME',
    actionCode: 'FEE:NOTICE',
    hostname: 'portal.phx.vn',
    payload: {},
    status,
    correlationId: null,
    recorded: false,
    deliveries: channels.map(([channel, channelStatus, reason]) => ({
      channel,
      status: channelStatus,
      reason: reason ?? null,
      attempts: 0,
    })),
  };
}

describe('delivery state', () => {
  describe(outcomeOf.name, () => {
    it.each<[string, [Channel, PhxDeliveryStatus, string?][], string, string | null]>([
      [
        'every channel sent',
        [
          ['push', 'sent'],
          ['in_app', 'sent'],
        ],
        'delivered',
        null,
      ],
      [
        'a channel sent, another skipped',
        [
          ['push', 'sent'],
          ['email', 'skipped', 'no sendEmailV3 block'],
        ],
        'delivered',
        null,
      ],
      [
        'a channel sent, another failed',
        [
          ['push', 'sent'],
          ['email', 'failed', 'refused'],
        ],
        'partially_delivered',
        'email: refused',
      ],
      [
        'nothing sent, a channel failed',
        [
          ['push', 'failed', 'dead tokens'],
          ['email', 'skipped', 'opted out'],
        ],
        'failed',
        'push: dead tokens',
      ],
      [
        'nothing sent, nothing failed',
        [
          ['push', 'skipped', 'no active device'],
          ['email', 'skipped', 'opted out'],
        ],
        'not_delivered',
        'push: no active device; email: opted out',
      ],
      ['no channel at all', [], 'not_delivered', null],
    ])('should sum up %s', (_, channels, status, reason) => {
      expect(outcomeOf(aState(channels))).toEqual({ requestId: 'r1', status, reason });
    });
  });

  describe(isOpen.name, () => {
    it.each<[PhxDeliveryStatus | 'absent', boolean]>([
      ['pending', true],
      ['sending', true],
      ['sent', false],
      ['failed', false],
      ['skipped', false],
      ['absent', false],
    ])('should answer, for a push that is %s, %s', (status, open) => {
      const state = aState(status === 'absent' ? [] : [['push', status]]);

      expect(isOpen(state, 'push')).toBe(open);
    });
  });

  describe(hasOpenExternalChannel.name, () => {
    it.each<[string, boolean, [Channel, PhxDeliveryStatus][]]>([
      ['only in_app pending', false, [['in_app', 'pending']]],
      [
        'push pending',
        true,
        [
          ['push', 'pending'],
          ['in_app', 'sent'],
        ],
      ],
      ['e-mail being sent', true, [['email', 'sending']]],
      [
        'push and e-mail final',
        false,
        [
          ['push', 'sent'],
          ['email', 'failed'],
        ],
      ],
    ])('should answer, with %s, %s', (_, open, channels) => {
      expect(hasOpenExternalChannel(aState(channels))).toBe(open);
    });
  });

  describe(isFinished.name, () => {
    it.each<[string, boolean, [Channel, PhxDeliveryStatus][], PhxDeliveryState['status']]>([
      [
        'every channel final',
        true,
        [
          ['push', 'sent'],
          ['email', 'skipped'],
        ],
        'accepted',
      ],
      [
        'a channel pending',
        false,
        [
          ['push', 'sent'],
          ['email', 'pending'],
        ],
        'accepted',
      ],
      ['a channel being sent', false, [['push', 'sending']], 'accepted'],
      ['completed already', false, [['push', 'sent']], 'delivered'],
    ])('should answer, with %s, %s', (_, finished, channels, status) => {
      expect(isFinished(aState(channels, status))).toBe(finished);
    });
  });

  describe(withInAppSent.name, () => {
    it.each<
      [
        string,
        [Channel, PhxDeliveryStatus, string?][],
        [Channel, PhxDeliveryStatus, string | null][],
      ]
    >([
      [
        'a pending in_app sent, leaving the others',
        [
          ['in_app', 'pending', 'queued'],
          ['push', 'pending'],
        ],
        [
          ['in_app', 'sent', null],
          ['push', 'pending', null],
        ],
      ],
      [
        'a skipped in_app as it is',
        [['in_app', 'skipped', 'opted out']],
        [['in_app', 'skipped', 'opted out']],
      ],
      ['nothing without in_app', [['push', 'failed', 'x']], [['push', 'failed', 'x']]],
    ])('should mark %s', (_, channels, expected) => {
      const state = aState(channels);

      const after = withInAppSent(state);

      expect(after.deliveries.map((d) => [d.channel, d.status, d.reason])).toEqual(expected);
      expect(state.deliveries.map((d) => d.status)).toEqual(channels.map(([, status]) => status));
    });
  });

  describe(isInAppPending.name, () => {
    it.each<[string, boolean, [Channel, PhxDeliveryStatus][]]>([
      ['a pending in_app', true, [['in_app', 'pending']]],
      ['a sent in_app', false, [['in_app', 'sent']]],
      ['no in_app', false, [['push', 'pending']]],
    ])('should answer, with %s, %s', (_, pending, channels) => {
      expect(isInAppPending(aState(channels))).toBe(pending);
    });
  });

  describe(channelStatusOf.name, () => {
    it('should map each channel to its status and reason', () => {
      const state = aState([
        ['push', 'sent'],
        ['email', 'failed', 'refused'],
      ]);

      expect(channelStatusOf(state)).toEqual({
        push: { status: 'sent', reason: null },
        email: { status: 'failed', reason: 'refused' },
      });
    });
  });
});
