import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ServiceAuth } from '../../auth/api-key.guard';
import { ApiInvalidInput } from '../../common/api-docs.decorators';
import { BodyLimit } from '../../common/body-limit';
import { UserParams } from '../../common/user.params';
import { PutUserPreferencesDto, USER_PREFERENCES_BODY_LIMIT } from './admin.dto';
import { PreferenceResponse } from './admin.responses';
import { UserPreferencesService } from './user-preferences.service';

@ApiTags('admin: user preferences')
@ServiceAuth('admin')
@ApiOkResponse({ type: [PreferenceResponse] })
@ApiInvalidInput('userId or the body is invalid')
@Controller('admin/users/:userId/preferences')
export class UserPreferencesController {
  constructor(private readonly preferences: UserPreferencesService) {}

  @ApiOperation({
    summary: "A user's preferences: the (action code, channel) pairs they set",
    description: 'A pair without a preference is on.',
  })
  @Get()
  list(@Param() { userId }: UserParams) {
    return this.preferences.list(userId);
  }

  @ApiOperation({
    summary: "Replace a user's whole set of preferences",
    description: 'Critical action codes go out whatever the preference says.',
  })
  @Put()
  @BodyLimit(USER_PREFERENCES_BODY_LIMIT)
  replace(@Param() { userId }: UserParams, @Body() body: PutUserPreferencesDto) {
    return this.preferences.replace(userId, body.preferences);
  }
}
