import { Module } from '@nestjs/common';
import { PhxPersistenceModule } from '@signal/persistence';
import {
  NotificationCenterController,
  NotificationCenterCountsController,
} from './notification-center.controller';
import { NotificationCenterService } from './notification-center.service';

/** Notification Center REST (SPEC §7): a user's PHX records, by tab and student, read state. */
@Module({
  imports: [PhxPersistenceModule],
  controllers: [NotificationCenterController, NotificationCenterCountsController],
  providers: [NotificationCenterService],
})
export class NotificationCenterModule {}
