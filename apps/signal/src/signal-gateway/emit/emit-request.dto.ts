import { ApiProperty } from '@nestjs/swagger';
import { EMIT_TOPIC_MAX_LENGTH } from '@signal/core';
import { bodyLimitFor, jsonBytes, WIDEST_CHAR } from '../../common/body-limit';
import { isPlainJsonData } from '../../common/signal-validation.pipe';
import { SignalConfig } from '../../config/signal-config';
import { IsDefined, IsObject, IsString } from 'class-validator';

/** Body of the three emit endpoints; topic and room rules are checked by `SignalEventService`. */
export class EmitRequestDto {
  @ApiProperty({
    description: 'Socket.IO event name clients listen to: no whitespace',
    maxLength: EMIT_TOPIC_MAX_LENGTH,
    example: 'observation/signal/notification/created',
  })
  @IsString()
  topic!: string;

  @ApiProperty({
    description:
      'Any JSON object, sent to clients as is (SIGNAL_EMIT_MAX_PAYLOAD_BYTES of JSON at most)',
    type: 'object',
    additionalProperties: true,
    example: { orderId: 'o-42', status: 'PAID' },
  })
  @IsDefined()
  @IsObject({ message: 'payload must be a JSON object' })
  payload!: Record<string, unknown>;

  /**
   * The body as `SignalValidationPipe` would return it when the rules above accept it, without
   * class-validator (every emit takes this way); undefined for anything else, which the pipe then
   * validates and words as usual.
   */
  static acceptValid(body: unknown): EmitRequestDto | undefined {
    if (typeof body !== 'object' || body === null || !isPlainJsonData(body)) return undefined;
    const { topic, payload } = body as Partial<EmitRequestDto>;
    const valid =
      Object.keys(body).length === 2 &&
      typeof topic === 'string' &&
      typeof payload === 'object' &&
      payload !== null &&
      !Array.isArray(payload);
    return valid ? Object.assign(new EmitRequestDto(), { topic, payload }) : undefined;
  }
}

/** The body limit of `EmitRequestDto`: the longest topic and a payload of `SIGNAL_EMIT_MAX_PAYLOAD_BYTES`. */
export const emitBodyLimit = (config: SignalConfig): number =>
  bodyLimitFor(
    jsonBytes({ topic: WIDEST_CHAR.repeat(EMIT_TOPIC_MAX_LENGTH), payload: {} }) -
      jsonBytes({}) +
      config.gateway.maxPayloadBytes,
  );
