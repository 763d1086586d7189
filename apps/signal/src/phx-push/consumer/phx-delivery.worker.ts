import { Injectable, Logger } from '@nestjs/common';
import { CORRELATION_ID_HEADER, PhxPushAcceptedMessage } from '@signal/core';
import { isTransientDatabaseError } from '@signal/persistence';
import pLimit from 'p-limit';
import { SignalConfig } from '../../config/signal-config';
import {
  KafkaBatchOutcome,
  KafkaInboundBatch,
  KafkaInboundMessage,
  KafkaRejectedMessage,
} from '../../kafka-notification/transport/kafka-batch.types';
import { CorrelationContext, correlationIdOrNew } from '../../logging/correlation-context';
import { PhxRequestDeliverer, RequestDeliveryOutcome } from './phx-request.deliverer';

type WorkerOutcome = RequestDeliveryOutcome | { retry: true; transient: boolean; reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The Consumer's Kafka side: each message names an accepted request; the requests of a batch
 * are delivered concurrently (bounded), and the batch is committed once each of them is durably
 * finished or scheduled. Only a database failure holds the batch back; delivery is idempotent
 * per channel, so the retried batch re-does only what did not finish.
 */
@Injectable()
export class PhxDeliveryWorkerService {
  private readonly logger = new Logger(PhxDeliveryWorkerService.name);
  private readonly limit: pLimit.Limit;

  constructor(
    config: SignalConfig,
    private readonly deliverer: PhxRequestDeliverer,
  ) {
    this.limit = pLimit(config.phx.deliveryConcurrency);
  }

  async handleAccepted(batch: KafkaInboundBatch): Promise<KafkaBatchOutcome> {
    const rejected: KafkaRejectedMessage[] = [];
    // The outbox relay may hand a request off twice: deliver it once per batch.
    const messageOfRequest = new Map<string, KafkaInboundMessage>();
    for (const message of batch.messages) {
      const parsed = parseAccepted(message);
      if ('errorClass' in parsed) rejected.push(parsed);
      else if (!messageOfRequest.has(parsed.requestId)) {
        messageOfRequest.set(parsed.requestId, message);
      }
    }

    const outcomes = await Promise.all(
      [...messageOfRequest].map(([requestId, { offset, headers }]) =>
        this.limit(() =>
          // The delivery logs under the id of the HTTP request that was accepted.
          CorrelationContext.run(correlationIdOrNew(headers[CORRELATION_ID_HEADER]), async () => ({
            requestId,
            offset,
            outcome: await this.deliverSafely(requestId),
          })),
        ),
      ),
    );

    const retries: string[] = [];
    let transient = true;
    for (const { requestId, offset, outcome } of outcomes) {
      if (outcome === 'unknown') {
        rejected.push({
          offset,
          errorClass: 'UnknownRequest',
          message: `no PHX push request ${requestId} is stored`,
        });
      } else if (outcome !== 'done') {
        retries.push(`${requestId}: ${outcome.reason}`);
        transient &&= outcome.transient;
      }
    }
    if (retries.length > 0) {
      return { kind: 'retry', transient, reason: retries.slice(0, 3).join('; ') };
    }
    return { kind: 'done', rejected };
  }

  /** A database outage is transient; any other exception is a bug the transport bounds. */
  private async deliverSafely(requestId: string): Promise<WorkerOutcome> {
    try {
      return await this.deliverer.deliver(requestId);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const transient = isTransientDatabaseError(error);
      if (!transient) this.logger.error(`delivery of ${requestId} failed: ${reason}`);
      return { retry: true, transient, reason };
    }
  }
}

function parseAccepted(
  message: KafkaInboundMessage,
): PhxPushAcceptedMessage | KafkaRejectedMessage {
  const reject = (errorClass: string, reason: string) => ({
    offset: message.offset,
    errorClass,
    message: reason,
  });
  let value: unknown;
  try {
    value = JSON.parse(message.value?.toString('utf8') ?? '');
  } catch (error) {
    return reject('InvalidJson', `value is not JSON: ${(error as Error).message}`);
  }
  const requestId = (value as Partial<PhxPushAcceptedMessage> | null)?.requestId;
  if (typeof requestId !== 'string' || !UUID.test(requestId)) {
    return reject('SchemaViolation', 'value must be { "requestId": "<uuid>" }');
  }
  return { requestId };
}
