import { ActivityNotificationEntity } from './activity-notification/activity-notification.entity';

export const signalEntities = [ActivityNotificationEntity];
