// The one connection, its options and migrations, and what every feature shares.
export * from './data-source-options';
export * from './entities';
export * from './persistence.module';
export * from './database-errors';

// Activity notifications (Kafka → inbox and sockets).
export * from './activity-notification/activity-notification.entity';
export * from './activity-notification/activity-notification-read.entity';
export * from './activity-notification/activity-notification-read-watermark.entity';
export * from './activity-notification/activity-notification-stream-head.entity';
export * from './activity-notification/activity-notification.repository';
export * from './activity-notification/activity-persistence.module';

// PHX push: the Producer, the Consumer, the admin API and the Notification Center.
export * from './phx-push/phx-channel';
export * from './phx-push/phx-notification-setting.entity';
export * from './phx-push/phx-notification-preference.entity';
export * from './phx-push/phx-device-token.entity';
export * from './phx-push/phx-push-request.entity';
export * from './phx-push/phx-delivery.entity';
export * from './phx-push/phx-notification-record.entity';
export * from './phx-push/phx-notification-center-read-watermark.entity';
export * from './phx-push/phx-notification-center-head.entity';
export * from './phx-push/phx-notification-setting.repository';
export * from './phx-push/phx-notification-preference.repository';
export * from './phx-push/phx-device-token.repository';
export * from './phx-push/phx-push-request.repository';
export * from './phx-push/phx-delivery.repository';
export * from './phx-push/phx-notification-record.repository';
export * from './phx-push/phx-persistence.module';

// Legacy V1 adapter (RabbitMQ).
export * from './legacy-rabbit/legacy-role-member.entity';
export * from './legacy-rabbit/legacy-processed-event.entity';
export * from './legacy-rabbit/legacy-scheduled-event.entity';
export * from './legacy-rabbit/legacy-role-directory.repository';
export * from './legacy-rabbit/legacy-event.repository';
export * from './legacy-rabbit/legacy-persistence.module';
