import {
  NewPhxDelivery,
  PhxChannel,
  PhxChannels,
  PhxNotificationSettingView,
} from '@signal/persistence';
import { PushInappNoti } from 'phx-node';

/** What the Producer decided for one request, before it is stored. */
export interface DeliveryDecision {
  status: 'accepted' | 'not_delivered';
  /** Why nothing goes out; null when accepted. */
  reason: string | null;
  /** One per channel when the code is configured and enabled; none otherwise. */
  deliveries: NewPhxDelivery[];
}

const BLOCK_OF_CHANNEL = {
  push: 'pushNotiMobile',
  email: 'sendEmailV3',
  // The record's text comes from `inApp`, else the push block, else the e-mail: any block will do.
  in_app: null,
} as const satisfies Record<PhxChannel, keyof PushInappNoti | null>;

/**
 * Applies the setting of the request's action code and the user's mutes (SPEC §4): a channel
 * goes out when the setting enables it, the request carries its block, and the user has not
 * muted it (critical codes cannot be muted).
 */
export function decideDelivery(
  payload: PushInappNoti,
  setting: PhxNotificationSettingView | null,
  mutedChannels: PhxChannel[],
): DeliveryDecision {
  const actionCode = payload.action_code;
  if (!setting) {
    return notDelivered(`action_code ${actionCode} has no notification setting`, []);
  }
  if (!setting.enabled) {
    return notDelivered(`notifications of action_code ${actionCode} are disabled`, []);
  }
  const deliveries = PhxChannels.map((channel): NewPhxDelivery => {
    const block = BLOCK_OF_CHANNEL[channel];
    const skip = (reason: string): NewPhxDelivery => ({ channel, status: 'skipped', reason });
    if (!setting.channels.includes(channel)) return skip(`channel not enabled for ${actionCode}`);
    if (block && payload[block] === undefined) return skip(`request has no ${block} block`);
    if (!setting.critical && mutedChannels.includes(channel)) return skip('muted by the user');
    return { channel, status: 'pending', reason: null };
  });
  if (deliveries.some((delivery) => delivery.status === 'pending')) {
    return { status: 'accepted', reason: null, deliveries };
  }
  const reasons = deliveries.map(({ channel, reason }) => `${channel}: ${reason}`);
  return notDelivered(`no channel to deliver through (${reasons.join('; ')})`, deliveries);
}

function notDelivered(reason: string, deliveries: NewPhxDelivery[]): DeliveryDecision {
  return { status: 'not_delivered', reason, deliveries };
}
