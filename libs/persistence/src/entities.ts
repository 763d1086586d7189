import { ActivityNotificationReadWatermarkEntity } from './activity-notification/activity-notification-read-watermark.entity';
import { ActivityNotificationReadEntity } from './activity-notification/activity-notification-read.entity';
import { ActivityNotificationEntity } from './activity-notification/activity-notification.entity';
import { ActivityNotificationStreamHeadEntity } from './activity-notification/activity-notification-stream-head.entity';
import { PhxDeliveryEntity } from './phx-push/phx-delivery.entity';
import { PhxDeviceTokenEntity } from './phx-push/phx-device-token.entity';
import { PhxNotificationCenterHeadEntity } from './phx-push/phx-notification-center-head.entity';
import { PhxNotificationCenterReadWatermarkEntity } from './phx-push/phx-notification-center-read-watermark.entity';
import { PhxNotificationPreferenceEntity } from './phx-push/phx-notification-preference.entity';
import { PhxNotificationRecordEntity } from './phx-push/phx-notification-record.entity';
import { PhxNotificationSettingEntity } from './phx-push/phx-notification-setting.entity';
import { PhxPushRequestEntity } from './phx-push/phx-push-request.entity';
import { LegacyProcessedEventEntity } from './legacy-rabbit/legacy-processed-event.entity';
import { LegacyRoleMemberEntity } from './legacy-rabbit/legacy-role-member.entity';
import { LegacyScheduledEventEntity } from './legacy-rabbit/legacy-scheduled-event.entity';

export const signalEntities = [
  ActivityNotificationEntity,
  ActivityNotificationReadEntity,
  ActivityNotificationReadWatermarkEntity,
  ActivityNotificationStreamHeadEntity,
  PhxNotificationSettingEntity,
  PhxNotificationPreferenceEntity,
  PhxDeviceTokenEntity,
  PhxPushRequestEntity,
  PhxDeliveryEntity,
  PhxNotificationRecordEntity,
  PhxNotificationCenterReadWatermarkEntity,
  PhxNotificationCenterHeadEntity,
  LegacyRoleMemberEntity,
  LegacyProcessedEventEntity,
  LegacyScheduledEventEntity,
];
