import { ApiProperty } from '@nestjs/swagger';

/** The answer of the three emit endpoints. */
export class EmittedResponse {
  @ApiProperty({ enum: ['emitted'] })
  status!: 'emitted';

  @ApiProperty({
    description: '`all`, `room:<roomName>` or `client:<clientId>`',
    example: 'room:signal/notification/8652',
  })
  target!: string;

  @ApiProperty({ example: 'observation/signal/notification/created' })
  topic!: string;
}
