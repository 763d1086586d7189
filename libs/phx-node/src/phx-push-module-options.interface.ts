import { LoggerService } from '@nestjs/common';

/** Options of {@link PhxPushModule}. */
export interface PhxPushModuleOptions {
  /** Base URL of the Signal Producer, e.g. `http://signal:3000`; requests go to `{producerUrl}/emit/inapp-noti`. Required. */
  producerUrl: string;
  /** Hostname sent when a payload has none. Default: none (every payload must carry `hostname`). */
  hostname?: string;
  /** Service API key, sent as header `x-api-key`. Default: none (no header). */
  apiKey?: string;
  /** Time limit of each attempt, in milliseconds. Default: `5000`. */
  timeoutMs?: number;
  /** Retries after a network error, timeout or 5xx, with exponential backoff (~200 ms, 400 ms, 800 ms…). Default: `3`. */
  retries?: number;
  /** Where retries are logged (context `PHXPushNotificationService`). Default: Nest's `Logger`. */
  logger?: LoggerService;
}
