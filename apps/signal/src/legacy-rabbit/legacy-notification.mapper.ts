import { createHash } from 'node:crypto';
import { NotificationType, PhxPushPayload } from 'phx-node';
import { LegacyEventDto, LegacyPriority } from './legacy-event.dto';

/** AMQP priority in the delivery queue (`x-max-priority` 4); 0, the default, is never used. */
export const LEGACY_AMQP_PRIORITY: Record<LegacyPriority, number> = {
  low: 1,
  normal: 2,
  high: 3,
  urgent: 4,
};
export const LEGACY_MAX_PRIORITY = LEGACY_AMQP_PRIORITY.urgent;

/** `loaphuong.AnnouncementCreated` → `LOAPHUONG:ANNOUNCEMENT_CREATED`. */
export function legacyActionCode(eventType: string): string {
  const [service, eventName] = eventType.split('.');
  const snake = eventName
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2');
  return `${legacyServiceCode(service)}:${snake.toUpperCase()}`;
}

/** `loa-phuong` → `LOA_PHUONG`: the module code, and the suffix of `NOTIFICATION_REDIRECT_{SERVICE}`. */
export function legacyServiceCode(service: string): string {
  return service.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/**
 * An explicit `redirectUrl` (the notification's, else the payload's) wins; else the service's
 * template with `{contentId}` / `{contentType}` filled in; else none. A template naming a
 * placeholder the event lacks gives none rather than a broken link.
 */
export function resolveRedirectUrl(
  event: LegacyEventDto,
  templates: Record<string, string>,
): string | undefined {
  const { notification, sourceService, contentId, contentType } = event.payload;
  const explicit = notification.redirectUrl ?? event.payload.redirectUrl;
  if (explicit !== undefined) return explicit;
  const template = templates[legacyServiceCode(sourceService)];
  if (template === undefined) return undefined;
  const values: Record<string, string | undefined> = { contentId, contentType };
  let missing = false;
  const url = template.replace(/\{(contentId|contentType)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) missing = true;
    return encodeURIComponent(value ?? '');
  });
  return missing ? undefined : url;
}

/**
 * Stable per (event, user), within the Producer's 128 characters whatever the ids' lengths.
 * `eventKey`: the event's `eventId`, or its body hash when it has none (see the parser).
 */
export function legacyIdempotencyKey(eventKey: string, userId: string): string {
  return `legacy-v1:${createHash('sha256').update(`${eventKey}\n${userId}`).digest('hex')}`;
}

export interface LegacyDeliveryOptions {
  pushApp: string;
  redirects: Record<string, string>;
}

/**
 * One PHX request for one target user. `push` → `pushNotiMobile`, `in-app` → `inApp`, both →
 * both, with the same payload (redirect URL, content, data) for the app. Users named in
 * `targetUsers` see it under TO_ME, users reached only through a role under SYSTEM.
 */
export function toPhxPayload(
  event: LegacyEventDto,
  userId: string,
  options: LegacyDeliveryOptions,
): PhxPushPayload {
  const { notification, sourceService, contentId, contentType } = event.payload;
  const redirectUrl = resolveRedirectUrl(event, options.redirects);
  const data = { ...event.payload.data, ...notification.data };
  const payload: Record<string, unknown> = {
    ...(redirectUrl === undefined ? {} : { redirectUrl }),
    ...(contentId === undefined ? {} : { contentId }),
    ...(contentType === undefined ? {} : { contentType }),
    sourceService,
    notificationType: notification.type,
    ...(event.eventId === undefined ? {} : { eventId: event.eventId }),
    data,
  };
  const channels = new Set(notification.channels);
  return {
    user_id: userId,
    hostname: sourceService,
    action_code: legacyActionCode(event.eventType),
    type: notification.targetUsers?.includes(userId)
      ? NotificationType.TO_ME
      : NotificationType.SYSTEM,
    ...(channels.has('push')
      ? {
          pushNotiMobile: {
            title: notification.title,
            message: notification.body,
            module_code: legacyServiceCode(sourceService),
            app: options.pushApp,
            payload,
          },
        }
      : {}),
    ...(channels.has('in-app')
      ? { inApp: { title: notification.title, message: notification.body, payload } }
      : {}),
  };
}
