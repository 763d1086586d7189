import { IsDefined, IsObject, IsString } from 'class-validator';

/** Body of the three emit endpoints; topic and room rules are checked by `SignalEventService`. */
export class EmitRequestDto {
  @IsString()
  topic!: string;

  @IsDefined()
  @IsObject({ message: 'payload must be a JSON object' })
  payload!: Record<string, unknown>;
}
