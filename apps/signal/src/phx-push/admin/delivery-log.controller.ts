import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../../auth/api-key.guard';
import { NotificationParams, UserDeliveryLogQueryDto, UserParams } from './admin.dto';
import { DeliveryLogService } from './delivery-log.service';

@Controller('admin')
@UseGuards(ApiKeyGuard)
export class DeliveryLogController {
  constructor(private readonly log: DeliveryLogService) {}

  @Get('notifications/:id/deliveries')
  ofNotification(@Param() { id }: NotificationParams) {
    return this.log.ofNotification(id);
  }

  @Get('users/:userId/deliveries')
  ofUser(@Param() { userId }: UserParams, @Query() query: UserDeliveryLogQueryDto) {
    return this.log.ofUser(userId, query);
  }
}
