import { PhxNotificationSettingView } from '@signal/persistence';
import { EmailType, PushInappNoti } from 'phx-node';
import { decideDelivery } from './delivery-decision';

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

describe(decideDelivery.name, () => {
  it('should not deliver an unconfigured or a disabled code, without deliveries', () => {
    expect(decideDelivery(payload, null, [])).toEqual({
      status: 'not_delivered',
      reason: 'action_code FEE:NOTICE has no notification setting',
      deliveries: [],
    });
    expect(decideDelivery(payload, aSetting({ enabled: false }), [])).toEqual({
      status: 'not_delivered',
      reason: 'notifications of action_code FEE:NOTICE are disabled',
      deliveries: [],
    });
  });

  it('should send push and in-app, skipping e-mail without its block', () => {
    expect(decideDelivery(payload, aSetting(), [])).toEqual({
      status: 'accepted',
      reason: null,
      deliveries: [
        { channel: 'push', status: 'pending', reason: null },
        { channel: 'email', status: 'skipped', reason: 'request has no sendEmailV3 block' },
        { channel: 'in_app', status: 'pending', reason: null },
      ],
    });
  });

  it('should skip muted channels unless the code is critical', () => {
    const both: PushInappNoti = {
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
    const muted = decideDelivery(both, aSetting(), ['email', 'in_app']);
    expect(muted.deliveries.map((d) => [d.channel, d.status, d.reason])).toEqual([
      ['push', 'pending', null],
      ['email', 'skipped', 'muted by the user'],
      ['in_app', 'skipped', 'muted by the user'],
    ]);
    const critical = decideDelivery(both, aSetting({ critical: true }), ['email', 'in_app']);
    expect(critical.deliveries.every((d) => d.status === 'pending')).toBe(true);
  });

  it('should not deliver when every channel is skipped, giving each reason', () => {
    const decision = decideDelivery(payload, aSetting({ channels: ['email'] }), []);
    expect(decision.status).toBe('not_delivered');
    expect(decision.reason).toBe(
      'no channel to deliver through (push: channel not enabled for FEE:NOTICE; email: request has no sendEmailV3 block; in_app: channel not enabled for FEE:NOTICE)',
    );
    expect(decision.deliveries.every((d) => d.status === 'skipped')).toBe(true);
  });
});
