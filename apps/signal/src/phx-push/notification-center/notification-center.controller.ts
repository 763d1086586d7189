import {
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { CurrentUser, UserJwtGuard } from '../../auth/user-jwt.guard';
import { UserPrincipal } from '../../auth/user-principal';
import {
  NotificationCenterListQueryDto,
  NotificationCenterReadAllQueryDto,
} from './notification-center-query.dto';
import { NotificationCenterService } from './notification-center.service';

@Controller('notification-center/records')
@UseGuards(UserJwtGuard)
export class NotificationCenterController {
  constructor(private readonly center: NotificationCenterService) {}

  @Get()
  list(@CurrentUser() user: UserPrincipal, @Query() query: NotificationCenterListQueryDto) {
    return this.center.list(user, query);
  }

  @Patch(':id/read')
  markRead(@CurrentUser() user: UserPrincipal, @Param('id', ParseUUIDPipe) id: string) {
    return this.center.markRead(user, id);
  }

  @Post('read-all')
  @HttpCode(HttpStatus.OK)
  markAllRead(
    @CurrentUser() user: UserPrincipal,
    @Query() query: NotificationCenterReadAllQueryDto,
  ) {
    return this.center.markAllRead(user, query.type);
  }
}

@Controller('notification-center')
@UseGuards(UserJwtGuard)
export class NotificationCenterCountsController {
  constructor(private readonly center: NotificationCenterService) {}

  @Get('unread-counts')
  unreadCounts(@CurrentUser() user: UserPrincipal) {
    return this.center.unreadCounts(user);
  }
}
