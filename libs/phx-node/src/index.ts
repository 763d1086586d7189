export * from './action-code';
export * from './email-type.enum';
export * from './notification-type.enum';
export * from './types/group-request.interface';
export * from './types/in-app-notice.interface';
export * from './types/phx-send-result.interface';
export * from './types/push-inapp-noti.interface';
export * from './types/push-noti-mobile.interface';
export * from './types/send-email-v3.interface';
export type { PhxViolation } from './validation/violation-checker';
export {
  PUSH_INAPP_NOTI_LIMITS,
  validatePushInappNoti,
} from './validation/push-inapp-noti.validator';
export { findNulCharacters, NUL_CHARACTER_MESSAGE } from './validation/nul-characters';
export * from './errors/phx-push.exception';
export type { PhxPushModuleOptions } from './phx-push-module-options.interface';
export type {
  PhxPushModuleAsyncOptions,
  PhxPushOptionsFactory,
} from './phx-push.module-definition';
export { PhxPushModule } from './phx-push.module';
export { PHXPushNotificationService } from './phx-push-notification.service';
