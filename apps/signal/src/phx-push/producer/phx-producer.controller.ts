import { Body, Controller, Headers, Post, Res, UseGuards } from '@nestjs/common';
import { Response } from 'express';
import { ApiKeyGuard } from '../../auth/api-key.guard';
import { SignalMetrics } from '../../metrics/signal-metrics';
import { EmitRequest, parseEmitRequest } from './emit-request';
import { PhxProducerService } from './phx-producer.service';

/** What `phx-node` calls: `POST /emit/inapp-noti` with `x-api-key` and `idempotency-key`. */
@Controller('emit')
@UseGuards(ApiKeyGuard)
export class PhxProducerController {
  constructor(
    private readonly producer: PhxProducerService,
    private readonly metrics: SignalMetrics,
  ) {}

  @Post('inapp-noti')
  async emit(
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
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
