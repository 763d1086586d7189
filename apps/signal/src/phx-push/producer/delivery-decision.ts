import {
  NewPhxDelivery,
  PhxChannel,
  PhxChannels,
  PhxNotificationSettingView,
} from '@signal/persistence';
import { PushInappNoti } from 'phx-node';
import { UnconfiguredActionCodePolicy } from '../../config/signal-config';

/** What the Producer decided for one request, before it is stored. */
export interface DeliveryDecision {
  status: 'accepted' | 'not_delivered';
  /** Why nothing goes out; null when accepted. */
  reason: string | null;
  /** What chose the channels, for the delivery log: the setting as it was, or the default. */
  decidedBy: string;
  /** One per channel when the code is delivered (configured and enabled, or by default); none otherwise. */
  deliveries: NewPhxDelivery[];
}

/** The delivery log's word for a request of an action code without a setting, delivered by default. */
export const NO_SETTING_DEFAULT = 'no setting: default, all channels';

const BLOCK_OF_CHANNEL = {
  push: 'pushNotiMobile',
  email: 'sendEmailV3',
  // The record's text comes from `inApp`, else the push block, else the e-mail: any block will do.
  in_app: null,
} as const satisfies Record<PhxChannel, keyof PushInappNoti | null>;

/** What an action code without a setting gets under `deliver` (seed 004: every channel). */
const DEFAULT_RULES = { channels: PhxChannels, critical: false };

/**
 * Applies the setting of the request's action code and the user's mutes (SPEC §4): a channel
 * goes out when the setting enables it, the request carries its block, and the user has not
 * muted it (critical codes cannot be muted). A code without a setting follows `unconfigured`:
 * `deliver` treats it as enabled on every channel and never critical, `skip` delivers nothing.
 */
export function decideDelivery(
  payload: PushInappNoti,
  setting: PhxNotificationSettingView | null,
  mutedChannels: PhxChannel[],
  unconfigured: UnconfiguredActionCodePolicy,
): DeliveryDecision {
  const actionCode = payload.action_code;
  if (!setting && unconfigured === 'skip') {
    return notDelivered(
      `action_code ${actionCode} has no notification setting`,
      'no setting: skipped (PHX_UNCONFIGURED_ACTION_CODES=skip)',
      [],
    );
  }
  if (setting && !setting.enabled) {
    return notDelivered(
      `notifications of action_code ${actionCode} are disabled`,
      'setting: disabled',
      [],
    );
  }
  const rules = setting ?? DEFAULT_RULES;
  const decidedBy = setting ? describeSetting(setting) : NO_SETTING_DEFAULT;
  const deliveries = PhxChannels.map((channel): NewPhxDelivery => {
    const block = BLOCK_OF_CHANNEL[channel];
    const skip = (reason: string): NewPhxDelivery => ({ channel, status: 'skipped', reason });
    if (!rules.channels.includes(channel)) return skip(`channel not enabled for ${actionCode}`);
    if (block && payload[block] === undefined) return skip(`request has no ${block} block`);
    if (!rules.critical && mutedChannels.includes(channel)) return skip('muted by the user');
    return { channel, status: 'pending', reason: null };
  });
  if (deliveries.some((delivery) => delivery.status === 'pending')) {
    return { status: 'accepted', reason: null, decidedBy, deliveries };
  }
  const reasons = deliveries.map(({ channel, reason }) => `${channel}: ${reason}`);
  return notDelivered(
    `no channel to deliver through (${reasons.join('; ')})`,
    decidedBy,
    deliveries,
  );
}

function describeSetting({ channels, critical }: PhxNotificationSettingView): string {
  const enabled = PhxChannels.filter((channel) => channels.includes(channel));
  return `setting: ${enabled.join(', ')}${critical ? ' (critical)' : ''}`;
}

function notDelivered(
  reason: string,
  decidedBy: string,
  deliveries: NewPhxDelivery[],
): DeliveryDecision {
  return { status: 'not_delivered', reason, decidedBy, deliveries };
}
