import { ApiProperty } from '@nestjs/swagger';
import { RECIPIENT_ID_PATTERN, RECIPIENT_ID_RULE } from '@signal/core';
import { Matches } from 'class-validator';

/** `:userId` in a path, as the phx-push admin and the legacy role directory take it. */
export class UserParams {
  @ApiProperty({
    description: RECIPIENT_ID_RULE,
    pattern: RECIPIENT_ID_PATTERN.source,
    example: '8652',
  })
  @Matches(RECIPIENT_ID_PATTERN, { message: `userId must be ${RECIPIENT_ID_RULE}` })
  userId!: string;
}
