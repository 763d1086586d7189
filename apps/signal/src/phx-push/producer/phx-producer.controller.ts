import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { PUSH_INAPP_NOTI_LIMITS } from 'phx-node';
import { ServiceAuth } from '../../auth/api-key.guard';
import { BodyLimit, bodyLimitFor } from '../../common/body-limit';
import { SignalMetrics } from '../../metrics/signal-metrics';
import { EmitRequest, parseEmitRequest } from './emit-request';
import {
  CHECK_IN_EXAMPLE,
  PhxEmitAnswerResponse,
  PhxEmitBadRequestSchema,
  PushInappNotiSchema,
} from './phx-producer.schemas';
import { PhxProducerService } from './phx-producer.service';

/** What `phx-node` calls: `POST /emit/inapp-noti` with `x-api-key` and `idempotency-key`. */
@ApiTags('phx producer')
@ServiceAuth('producer')
@Controller('emit')
export class PhxProducerController {
  constructor(
    private readonly producer: PhxProducerService,
    private readonly metrics: SignalMetrics,
  ) {}

  @ApiOperation({
    summary: 'Send a PHX notification (push, e-mail, in-app) to one user',
    description:
      'What `phx-node` calls. The Producer decides by the action code’s setting and the user’s preferences, stores the request and hands it to the Consumer.',
  })
  @ApiExtraModels(PushInappNotiSchema)
  @ApiBody({
    schema: { $ref: getSchemaPath(PushInappNotiSchema) },
    examples: {
      checkIn: { summary: 'Check-in push to a parent (seed 004)', value: CHECK_IN_EXAMPLE },
    },
  })
  @ApiHeader({
    name: 'idempotency-key',
    required: false,
    description:
      'Key the Producer dedupes on (1-255 printable ASCII characters): a repeat gets the first answer and changes nothing. Absent: the request is new.',
  })
  @ApiAcceptedResponse({
    type: PhxEmitAnswerResponse,
    description: 'Accepted: stored and handed to the Consumer for the channels named',
  })
  @ApiOkResponse({
    type: PhxEmitAnswerResponse,
    description:
      'Stored but not delivered: the action code has no setting or is disabled, or every channel is off, absent or muted',
  })
  @ApiBadRequestResponse({
    type: PhxEmitBadRequestSchema,
    description: 'The payload or idempotency-key is invalid; every violation listed',
  })
  @Post('inapp-noti')
  @BodyLimit(bodyLimitFor(PUSH_INAPP_NOTI_LIMITS.jsonBytes))
  async emit(
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const answer = await this.producer.emit(this.parse(body, idempotencyKey));
    response.status(answer.httpStatus);
    return answer.body;
  }

  /** The service counts the other outcomes; a request it never sees is counted here. */
  private parse(body: unknown, idempotencyKey: string | undefined): EmitRequest {
    try {
      return parseEmitRequest(body, idempotencyKey);
    } catch (error) {
      this.metrics.phxProducerRequests.inc({ outcome: 'invalid' });
      throw error;
    }
  }
}
