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
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentUser, UserJwtGuard } from '../../auth/user-jwt.guard';
import { UserPrincipal } from '../../auth/user-principal';
import { ApiInvalidInput, ApiNotFound, ApiUserAuth } from '../../common/api-docs.decorators';
import { InboxListQueryDto } from '../../common/inbox-list-query.dto';
import { ActivityInboxService } from './activity-inbox.service';
import { InboxCatchUpQueryDto } from './inbox-query.dto';
import {
  ActivityNotificationPage,
  MarkedAllReadResponse,
  MarkedReadResponse,
  UnreadCountResponse,
} from './inbox.responses';

@ApiTags('activity inbox')
@ApiUserAuth()
@Controller('notifications')
@UseGuards(UserJwtGuard)
export class ActivityInboxController {
  constructor(private readonly inbox: ActivityInboxService) {}

  @ApiOperation({
    summary: "The user's activity notifications, newest first",
    description: 'Their own, their organizer’s and their merchants’ notifications.',
  })
  @ApiOkResponse({ type: ActivityNotificationPage })
  @ApiInvalidInput('cursor, limit or unread is invalid')
  @Get()
  list(@CurrentUser() user: UserPrincipal, @Query() query: InboxListQueryDto) {
    return this.inbox.list(user, query);
  }

  @ApiOperation({ summary: 'How many of the user’s activity notifications are unread' })
  @ApiOkResponse({ type: UnreadCountResponse })
  @Get('unread-count')
  unreadCount(@CurrentUser() user: UserPrincipal) {
    return this.inbox.unreadCount(user);
  }

  @ApiOperation({
    summary: 'What the client may have missed since the last notification it saw, oldest first',
    description:
      'The REST twin of the socket replay, for a client that reconnects: every notification after `after`, and those created up to `SIGNAL_REPLAY_OVERLAP_MS` before it (instances emit out of order). Dedupe by id.',
  })
  @ApiOkResponse({ type: ActivityNotificationPage })
  @ApiInvalidInput('after is not a UUID, or cursor or limit is invalid')
  @ApiNotFound('after is not a notification of this user')
  @Get('catch-up')
  catchUp(@CurrentUser() user: UserPrincipal, @Query() query: InboxCatchUpQueryDto) {
    return this.inbox.catchUp(user, query);
  }

  @ApiOperation({ summary: 'Mark one activity notification read' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: MarkedReadResponse })
  @ApiInvalidInput('id is not a UUID')
  @ApiNotFound('No notification with this id for this user')
  @Patch(':id/read')
  markRead(@CurrentUser() user: UserPrincipal, @Param('id', ParseUUIDPipe) id: string) {
    return this.inbox.markRead(user, id);
  }

  @ApiOperation({
    summary: 'Mark all of the user’s activity notifications read',
    description:
      'Moves one read watermark per recipient (the user, their organizer, each merchant): its cost does not grow with history.',
  })
  @ApiOkResponse({ type: MarkedAllReadResponse })
  @Post('read-all')
  @HttpCode(HttpStatus.OK)
  markAllRead(@CurrentUser() user: UserPrincipal) {
    return this.inbox.markAllRead(user);
  }
}
