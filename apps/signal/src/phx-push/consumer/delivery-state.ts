import {
  PhxChannel,
  PhxChannelStatus,
  PhxDeliveryState,
  PhxRequestOutcome,
  PhxRequestStatus,
} from '@signal/persistence';
import { PushInappNoti } from 'phx-node';

/** One accepted request to deliver, with the correlation id its log lines carry. */
export interface RequestToDeliver {
  requestId: string;
  correlationId?: string;
}

/** A request still accepted, as loaded, with the correlation id of its sender. */
export type OpenRequest = RequestToDeliver & { state: PhxDeliveryState };

/** The channels sent outside the process (claimed, with a lease), as against in_app. */
export const EXTERNAL_CHANNELS = ['push', 'email'] as const;
export type ExternalChannel = (typeof EXTERNAL_CHANNELS)[number];

const FINAL_STATUSES = new Set(['sent', 'failed', 'skipped']);

/** What a request's channels add up to, and why when not everything went out. */
export function outcomeOf(state: PhxDeliveryState): PhxRequestOutcome {
  const sent = state.deliveries.filter((d) => d.status === 'sent').length;
  const failed = state.deliveries.filter((d) => d.status === 'failed');
  // Nothing sent and nothing failed: every eligible channel turned out to have no target.
  const unsent = state.deliveries.filter((d) => d.status !== 'sent' && d.reason !== null);
  const status: PhxRequestStatus =
    sent > 0
      ? failed.length > 0
        ? 'partially_delivered'
        : 'delivered'
      : failed.length > 0
        ? 'failed'
        : 'not_delivered';
  const explained = failed.length > 0 ? failed : sent === 0 ? unsent : [];
  const reason =
    explained.length > 0 ? explained.map((d) => `${d.channel}: ${d.reason}`).join('; ') : null;
  return { requestId: state.requestId, status, reason };
}

export function requestOf(state: PhxDeliveryState): PushInappNoti {
  return state.payload as unknown as PushInappNoti;
}

export function hasOpenExternalChannel(state: PhxDeliveryState): boolean {
  return EXTERNAL_CHANNELS.some((channel) => isOpen(state, channel));
}

export function isOpen(state: PhxDeliveryState, channel: PhxChannel): boolean {
  const delivery = deliveryOf(state, channel);
  return delivery !== undefined && !FINAL_STATUSES.has(delivery.status);
}

/** Still accepted, with every channel final: to complete. */
export function isFinished(state: PhxDeliveryState): boolean {
  return state.status === 'accepted' && state.deliveries.every((d) => FINAL_STATUSES.has(d.status));
}

/** `state` as it stands once its pending in_app is marked sent. */
export function withInAppSent(state: PhxDeliveryState): PhxDeliveryState {
  return {
    ...state,
    deliveries: state.deliveries.map((d) =>
      d.channel === 'in_app' && d.status === 'pending' ? { ...d, status: 'sent', reason: null } : d,
    ),
  };
}

export function isInAppPending(state: PhxDeliveryState): boolean {
  return deliveryOf(state, 'in_app')?.status === 'pending';
}

export function deliveryOf(state: PhxDeliveryState, channel: PhxChannel) {
  return state.deliveries.find((delivery) => delivery.channel === channel);
}

export function channelStatusOf(state: PhxDeliveryState): PhxChannelStatus {
  return Object.fromEntries(
    state.deliveries.map(({ channel, status, reason }) => [channel, { status, reason }]),
  );
}

export const channelKey = (requestId: string, channel: PhxChannel) => `${requestId} ${channel}`;

export function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}
