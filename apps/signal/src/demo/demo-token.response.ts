import { ApiProperty } from '@nestjs/swagger';
import { DemoToken } from './demo-token.service';

export class DemoTokenResponse implements DemoToken {
  @ApiProperty({ description: 'A user JWT, signed like the tokens the app verifies' })
  token!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}
