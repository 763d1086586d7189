import { RECIPIENT_ID_PATTERN, RECIPIENT_ID_RULE } from '@signal/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, Matches } from 'class-validator';

// The ids UserTokenVerifier accepts in claims, so every minted token verifies.
const AN_ID = `an id of ${RECIPIENT_ID_RULE}`;

/** `POST /demo/token`: the claims of the user to act as. */
export class DemoTokenRequestDto {
  @ApiProperty({ description: `The user id to act as: ${AN_ID}`, example: '8652' })
  @Matches(RECIPIENT_ID_PATTERN, { message: `sub must be ${AN_ID}` })
  sub!: string;

  @ApiPropertyOptional({ description: `The user's organizer: ${AN_ID}`, example: 'org-1' })
  @IsOptional()
  @Matches(RECIPIENT_ID_PATTERN, { message: `organizerId must be ${AN_ID}` })
  organizerId?: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 50,
    description: `The user's merchants: each ${AN_ID}`,
  })
  @IsOptional()
  @IsArray({ message: 'merchantIds must be an array of ids' })
  @ArrayMaxSize(50, { message: 'merchantIds must hold at most 50 ids' })
  @Matches(RECIPIENT_ID_PATTERN, { each: true, message: `each of merchantIds must be ${AN_ID}` })
  merchantIds?: string[];
}
