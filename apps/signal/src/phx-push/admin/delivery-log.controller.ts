import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ServiceAuth } from '../../auth/api-key.guard';
import { ApiInvalidInput, ApiNotFound } from '../../common/api-docs.decorators';
import { UserParams } from '../../common/user.params';
import { NotificationParams, UserDeliveryLogQueryDto } from './admin.dto';
import { DeliveryLogEntryResponse, DeliveryLogPage } from './admin.responses';
import { DeliveryLogService } from './delivery-log.service';

@ApiTags('admin: delivery log')
@ServiceAuth('admin')
@Controller('admin')
export class DeliveryLogController {
  constructor(private readonly log: DeliveryLogService) {}

  @ApiOperation({
    summary: 'What became of one PHX request',
    description: "The Producer's decision and each channel's outcome at the Consumer.",
  })
  @ApiOkResponse({ type: DeliveryLogEntryResponse })
  @ApiInvalidInput('id is not a UUID')
  @ApiNotFound('No request with this id')
  @Get('notifications/:id/deliveries')
  ofNotification(@Param() { id }: NotificationParams) {
    return this.log.ofNotification(id);
  }

  @ApiOperation({
    summary: "A user's PHX requests and what became of each",
    description:
      'Answers "why did user X (not) get Y": what chose the channels (the setting, or the default for an unconfigured code), disabled, muted, no device, provider error.',
  })
  @ApiOkResponse({ type: DeliveryLogPage })
  @ApiInvalidInput('userId, actionCode, limit or cursor is invalid')
  @Get('users/:userId/deliveries')
  ofUser(@Param() { userId }: UserParams, @Query() query: UserDeliveryLogQueryDto) {
    return this.log.ofUser(userId, query);
  }
}
