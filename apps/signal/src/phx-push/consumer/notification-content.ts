import { PhxDeliveryState } from '@signal/persistence';
import { PushInappNoti } from 'phx-node';

/** What the Notification Record shows, from the most specific block the sender gave. */
export interface NotificationContent {
  title: string;
  message: string;
  moduleCode: string;
  /** Any JSON value, as the sender gave it; `{}` when no block carries one. */
  payload: unknown;
}

export function notificationContentOf(state: PhxDeliveryState): NotificationContent {
  const request = state.payload as unknown as PushInappNoti;
  const { inApp, pushNotiMobile: push, sendEmailV3: email } = request;
  const text = inApp ?? (push ? { title: push.title, message: push.message } : undefined);
  // Not `??`: a payload of null is the sender's, kept as such.
  const given = [inApp?.payload, push?.payload].filter((payload) => payload !== undefined);
  return {
    title: text?.title ?? email?.title ?? state.actionCode,
    message: text?.message ?? email?.previewText ?? '',
    // The module is the action code's first level when no push block names it (seed 004 §7.4).
    moduleCode: push?.module_code ?? state.actionCode.split(':')[0],
    payload: given.length > 0 ? given[0] : {},
  };
}
