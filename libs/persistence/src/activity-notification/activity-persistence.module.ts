import { Module } from '@nestjs/common';
import { ActivityNotificationRepository } from './activity-notification.repository';

/**
 * Activity notifications and their per-user read state. Every statement is raw SQL on the global
 * `DataSource` (batch inserts, inbox stream queries, watermarks), so no entity repository.
 */
@Module({
  providers: [ActivityNotificationRepository],
  exports: [ActivityNotificationRepository],
})
export class ActivityPersistenceModule {}
