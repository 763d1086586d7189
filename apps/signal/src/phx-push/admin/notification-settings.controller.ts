import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ServiceAuth } from '../../auth/api-key.guard';
import { ApiInvalidInput, ApiNotFound } from '../../common/api-docs.decorators';
import { BodyLimit } from '../../common/body-limit';
import {
  ActionCodeParams,
  NOTIFICATION_SETTING_BODY_LIMIT,
  PutNotificationSettingDto,
} from './admin.dto';
import { NotificationSettingResponse } from './admin.responses';
import { NotificationSettingsService } from './notification-settings.service';

@ApiTags('admin: notification settings')
@ServiceAuth('admin')
@Controller('admin/notification-settings')
export class NotificationSettingsController {
  constructor(private readonly settings: NotificationSettingsService) {}

  @ApiOperation({ summary: 'Every action code’s notification setting' })
  @ApiOkResponse({ type: [NotificationSettingResponse] })
  @Get()
  list() {
    return this.settings.list();
  }

  @ApiOperation({ summary: 'The notification setting of one action code' })
  @ApiOkResponse({ type: NotificationSettingResponse })
  @ApiInvalidInput('actionCode is not an action code')
  @ApiNotFound('The action code has no notification setting')
  @Get(':actionCode')
  get(@Param() { actionCode }: ActionCodeParams) {
    return this.settings.get(actionCode);
  }

  @ApiOperation({
    summary: 'Create or replace the notification setting of one action code',
    description:
      'Whether its requests go out, through which channels, and whether users may mute it.',
  })
  @ApiOkResponse({ type: NotificationSettingResponse })
  @ApiInvalidInput('actionCode or the body is invalid')
  @Put(':actionCode')
  @BodyLimit(NOTIFICATION_SETTING_BODY_LIMIT)
  put(@Param() { actionCode }: ActionCodeParams, @Body() body: PutNotificationSettingDto) {
    return this.settings.put(actionCode, body);
  }

  @ApiOperation({
    summary: 'Delete the notification setting of one action code',
    description:
      'Its requests then follow PHX_UNCONFIGURED_ACTION_CODES: every channel they carry (deliver, the default) or none (skip).',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiInvalidInput('actionCode is not an action code')
  @ApiNotFound('The action code has no notification setting')
  @Delete(':actionCode')
  @HttpCode(HttpStatus.NO_CONTENT)
  delete(@Param() { actionCode }: ActionCodeParams) {
    return this.settings.delete(actionCode);
  }
}
