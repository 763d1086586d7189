import { Body, Controller, Get, Param, Put, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../../auth/api-key.guard';
import { PutUserPreferencesDto, UserParams } from './admin.dto';
import { UserPreferencesService } from './user-preferences.service';

@Controller('admin/users/:userId/preferences')
@UseGuards(ApiKeyGuard)
export class UserPreferencesController {
  constructor(private readonly preferences: UserPreferencesService) {}

  @Get()
  list(@Param() { userId }: UserParams) {
    return this.preferences.list(userId);
  }

  @Put()
  replace(@Param() { userId }: UserParams, @Body() body: PutUserPreferencesDto) {
    return this.preferences.replace(userId, body.preferences);
  }
}
