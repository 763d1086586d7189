export * from './activity-notification/activity-notification-read.entity';
export * from './activity-notification/activity-notification.entity';
export * from './activity-notification/activity-notification.repository';
export * from './data-source-options';
export * from './entities';
export * from './persistence.module';
export * from './activity-notification/notification-created-payload';
export * from './database-errors';
