import { PhxNotificationSettingView } from '@signal/persistence';
import { EmailType, PushInappNoti } from 'phx-node';
import { decideDelivery, DeliveryDecision } from './delivery-decision';

function aSetting(overrides: Partial<PhxNotificationSettingView> = {}): PhxNotificationSettingView {
  return {
    actionCode: 'FEE:NOTICE',
    enabled: true,
    channels: ['push', 'email', 'in_app'],
    critical: false,
    description: null,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...overrides,
  };
}

const payload: PushInappNoti = {
  user_id: 8652,
  hostname: 'portal.phx.vn',
  action_code: 'FEE:NOTICE',
  pushNotiMobile: { title: 't', message: 'm', module_code: 'FEE', app: 'PHX_PARENT', payload: {} },
};

const withEmail: PushInappNoti = {
  ...payload,
  sendEmailV3: {
    emailType: EmailType.TRANSACTION_BASIC,
    to: 'parent@example.com',
    subject: 's',
    title: 't',
    previewText: 'p',
    content: 'c',
  },
};

const outcomes = (decision: DeliveryDecision) =>
  decision.deliveries.map((d) => [d.channel, d.status, d.reason]);

describe(decideDelivery.name, () => {
  describe('an action code without a setting', () => {
    it('should go out by default on every channel the request carries', () => {
      expect(decideDelivery(payload, null, [], 'deliver')).toEqual({
        status: 'accepted',
        reason: null,
        decidedBy: 'no setting: default, all channels',
        deliveries: [
          { channel: 'push', status: 'pending', reason: null },
          { channel: 'email', status: 'skipped', reason: 'request has no sendEmailV3 block' },
          { channel: 'in_app', status: 'pending', reason: null },
        ],
      });
      const all = decideDelivery(withEmail, null, [], 'deliver');
      expect(all.deliveries.every((d) => d.status === 'pending')).toBe(true);
    });

    it("should still skip the user's muted channels, as it is never critical", () => {
      expect(outcomes(decideDelivery(withEmail, null, ['push', 'in_app'], 'deliver'))).toEqual([
        ['push', 'skipped', 'muted by the user'],
        ['email', 'pending', null],
        ['in_app', 'skipped', 'muted by the user'],
      ]);
      const allMuted = decideDelivery(payload, null, ['push', 'in_app'], 'deliver');
      expect(allMuted).toMatchObject({
        status: 'not_delivered',
        reason:
          'no channel to deliver through (push: muted by the user; email: request has no sendEmailV3 block; in_app: muted by the user)',
        decidedBy: 'no setting: default, all channels',
      });
    });

    it('should not be delivered under PHX_UNCONFIGURED_ACTION_CODES=skip, without deliveries', () => {
      expect(decideDelivery(payload, null, [], 'skip')).toEqual({
        status: 'not_delivered',
        reason: 'action_code FEE:NOTICE has no notification setting',
        decidedBy: 'no setting: skipped (PHX_UNCONFIGURED_ACTION_CODES=skip)',
        deliveries: [],
      });
    });
  });

  it('should not deliver a disabled code, without deliveries, whatever the policy', () => {
    for (const policy of ['deliver', 'skip'] as const) {
      expect(decideDelivery(payload, aSetting({ enabled: false }), [], policy)).toEqual({
        status: 'not_delivered',
        reason: 'notifications of action_code FEE:NOTICE are disabled',
        decidedBy: 'setting: disabled',
        deliveries: [],
      });
    }
  });

  it('should send push and in-app, skipping e-mail without its block, and say which setting chose', () => {
    expect(decideDelivery(payload, aSetting(), [], 'skip')).toEqual({
      status: 'accepted',
      reason: null,
      decidedBy: 'setting: push, email, in_app',
      deliveries: [
        { channel: 'push', status: 'pending', reason: null },
        { channel: 'email', status: 'skipped', reason: 'request has no sendEmailV3 block' },
        { channel: 'in_app', status: 'pending', reason: null },
      ],
    });
  });

  it('should skip muted channels unless the code is critical', () => {
    const muted = decideDelivery(withEmail, aSetting(), ['email', 'in_app'], 'deliver');
    expect(outcomes(muted)).toEqual([
      ['push', 'pending', null],
      ['email', 'skipped', 'muted by the user'],
      ['in_app', 'skipped', 'muted by the user'],
    ]);
    const critical = decideDelivery(
      withEmail,
      aSetting({ critical: true, channels: ['in_app', 'email'] }),
      ['email', 'in_app'],
      'deliver',
    );
    expect(critical.decidedBy).toBe('setting: email, in_app (critical)');
    expect(outcomes(critical)).toEqual([
      ['push', 'skipped', 'channel not enabled for FEE:NOTICE'],
      ['email', 'pending', null],
      ['in_app', 'pending', null],
    ]);
  });

  it('should not deliver when every channel is skipped, giving each reason', () => {
    const decision = decideDelivery(payload, aSetting({ channels: ['email'] }), [], 'deliver');
    expect(decision.status).toBe('not_delivered');
    expect(decision.reason).toBe(
      'no channel to deliver through (push: channel not enabled for FEE:NOTICE; email: request has no sendEmailV3 block; in_app: channel not enabled for FEE:NOTICE)',
    );
    expect(decision.deliveries.every((d) => d.status === 'skipped')).toBe(true);
  });
});
