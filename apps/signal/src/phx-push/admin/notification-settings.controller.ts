import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Put,
  UseGuards,
} from '@nestjs/common';
import { ApiKeyGuard } from '../../auth/api-key.guard';
import { ActionCodeParams, PutNotificationSettingDto } from './admin.dto';
import { NotificationSettingsService } from './notification-settings.service';

@Controller('admin/notification-settings')
@UseGuards(ApiKeyGuard)
export class NotificationSettingsController {
  constructor(private readonly settings: NotificationSettingsService) {}

  @Get()
  list() {
    return this.settings.list();
  }

  @Get(':actionCode')
  get(@Param() { actionCode }: ActionCodeParams) {
    return this.settings.get(actionCode);
  }

  @Put(':actionCode')
  put(@Param() { actionCode }: ActionCodeParams, @Body() body: PutNotificationSettingDto) {
    return this.settings.put(actionCode, body);
  }

  @Delete(':actionCode')
  @HttpCode(HttpStatus.NO_CONTENT)
  delete(@Param() { actionCode }: ActionCodeParams) {
    return this.settings.delete(actionCode);
  }
}
