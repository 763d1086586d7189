import { RECIPIENT_ID_PATTERN, RECIPIENT_ID_RULE } from '@signal/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, Matches } from 'class-validator';
import { bodyLimitFor, jsonBytes, WIDEST_CHAR } from '../common/body-limit';

// The ids UserTokenVerifier accepts in claims, so every minted token verifies.
const AN_ID = `an id of ${RECIPIENT_ID_RULE}`;
// The longest id RECIPIENT_ID_PATTERN takes.
const ID_MAX = 128;
const MAX_MERCHANT_IDS = 50;

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
    maxItems: MAX_MERCHANT_IDS,
    description: `The user's merchants: each ${AN_ID}`,
  })
  @IsOptional()
  @IsArray({ message: 'merchantIds must be an array of ids' })
  @ArrayMaxSize(MAX_MERCHANT_IDS, {
    message: `merchantIds must hold at most ${MAX_MERCHANT_IDS} ids`,
  })
  @Matches(RECIPIENT_ID_PATTERN, { each: true, message: `each of merchantIds must be ${AN_ID}` })
  merchantIds?: string[];
}

/** The body limit of `DemoTokenRequestDto`: every id at its longest. */
export const DEMO_TOKEN_BODY_LIMIT = bodyLimitFor(
  jsonBytes({
    sub: WIDEST_CHAR.repeat(ID_MAX),
    organizerId: WIDEST_CHAR.repeat(ID_MAX),
    merchantIds: Array.from({ length: MAX_MERCHANT_IDS }, () => WIDEST_CHAR.repeat(ID_MAX)),
  }),
);
