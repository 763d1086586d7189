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
import { ActivityInboxService } from './activity-inbox.service';
import { InboxCatchUpQueryDto, InboxListQueryDto } from './inbox-query.dto';

@Controller('notifications')
@UseGuards(UserJwtGuard)
export class ActivityInboxController {
  constructor(private readonly inbox: ActivityInboxService) {}

  @Get()
  list(@CurrentUser() user: UserPrincipal, @Query() query: InboxListQueryDto) {
    return this.inbox.list(user, query);
  }

  @Get('unread-count')
  unreadCount(@CurrentUser() user: UserPrincipal) {
    return this.inbox.unreadCount(user);
  }

  @Get('catch-up')
  catchUp(@CurrentUser() user: UserPrincipal, @Query() query: InboxCatchUpQueryDto) {
    return this.inbox.catchUp(user, query);
  }

  @Patch(':id/read')
  markRead(@CurrentUser() user: UserPrincipal, @Param('id', ParseUUIDPipe) id: string) {
    return this.inbox.markRead(user, id);
  }

  @Post('read-all')
  @HttpCode(HttpStatus.OK)
  markAllRead(@CurrentUser() user: UserPrincipal) {
    return this.inbox.markAllRead(user);
  }
}
