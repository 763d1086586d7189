import { ActivityNotificationReadEntity } from './activity-notification/activity-notification-read.entity';
import { ActivityNotificationEntity } from './activity-notification/activity-notification.entity';

export const signalEntities = [ActivityNotificationEntity, ActivityNotificationReadEntity];
