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
import {
  MarkedAllReadResponse,
  MarkedReadResponse,
} from '../../signal-gateway/inbox/inbox.responses';
import {
  NotificationCenterListQueryDto,
  NotificationCenterReadAllQueryDto,
} from './notification-center-query.dto';
import {
  NotificationCenterRecordPage,
  NotificationCenterUnreadCountsResponse,
} from './notification-center.responses';
import { NotificationCenterService } from './notification-center.service';

@ApiTags('notification center')
@ApiUserAuth()
@Controller('notification-center/records')
@UseGuards(UserJwtGuard)
export class NotificationCenterController {
  constructor(private readonly center: NotificationCenterService) {}

  @ApiOperation({ summary: "The user's Notification Center records, newest first" })
  @ApiOkResponse({ type: NotificationCenterRecordPage })
  @ApiInvalidInput('type, studentId, unread, cursor or limit is invalid')
  @Get()
  list(@CurrentUser() user: UserPrincipal, @Query() query: NotificationCenterListQueryDto) {
    return this.center.list(user, query);
  }

  @ApiOperation({ summary: 'Mark one Notification Center record read' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: MarkedReadResponse })
  @ApiInvalidInput('id is not a UUID')
  @ApiNotFound('No record with this id for this user')
  @Patch(':id/read')
  markRead(@CurrentUser() user: UserPrincipal, @Param('id', ParseUUIDPipe) id: string) {
    return this.center.markRead(user, id);
  }

  @ApiOperation({ summary: "Mark the user's records read, of one tab or all" })
  @ApiOkResponse({ type: MarkedAllReadResponse })
  @ApiInvalidInput('type is not a tab')
  @Post('read-all')
  @HttpCode(HttpStatus.OK)
  markAllRead(
    @CurrentUser() user: UserPrincipal,
    @Query() query: NotificationCenterReadAllQueryDto,
  ) {
    return this.center.markAllRead(user, query.type);
  }
}

@ApiTags('notification center')
@ApiUserAuth()
@Controller('notification-center')
@UseGuards(UserJwtGuard)
export class NotificationCenterCountsController {
  constructor(private readonly center: NotificationCenterService) {}

  @ApiOperation({ summary: 'Unread Notification Center records per tab, for the badges' })
  @ApiOkResponse({ type: NotificationCenterUnreadCountsResponse })
  @Get('unread-counts')
  unreadCounts(@CurrentUser() user: UserPrincipal) {
    return this.center.unreadCounts(user);
  }
}
