import { Injectable, Logger } from '@nestjs/common';
import { CORRELATION_ID_HEADER, PhxPushAcceptedMessage } from '@signal/core';
import { isTransientDatabaseError } from '@signal/persistence';
import {
  jsonObjectOf,
  KafkaBatchOutcome,
  KafkaInboundBatch,
  KafkaInboundMessage,
  KafkaRejectedMessage,
  rejection,
} from '../../kafka';
import { correlationIdOrNew } from '../../logging/correlation-context';
import { PhxRequestDeliverer } from './phx-request.deliverer';
import { errorMessage } from '../../common/error-message';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The Consumer's Kafka side: each message names an accepted request; the requests of a batch are
 * delivered together, and the batch is committed once their records are stored and announced and
 * their push and e-mail are due in the database (sent in the background). Only a database
 * failure holds the batch back; delivery is idempotent per channel, so the retried batch re-does
 * only what did not finish.
 */
@Injectable()
export class PhxDeliveryHandler {
  private readonly logger = new Logger(PhxDeliveryHandler.name);

  constructor(private readonly deliverer: PhxRequestDeliverer) {}

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

    let unknown: string[];
    try {
      unknown = await this.deliverer.deliverAccepted(
        [...messageOfRequest].map(([requestId, { headers }]) => ({
          requestId,
          // The delivery logs under the id of the HTTP request that was accepted.
          correlationId: correlationIdOrNew(headers[CORRELATION_ID_HEADER]),
        })),
      );
    } catch (error) {
      // A database outage is transient; any other exception is a bug the transport bounds.
      const reason = errorMessage(error);
      const transient = isTransientDatabaseError(error);
      if (!transient) this.logger.error(`delivery of a batch failed: ${reason}`);
      return { kind: 'retry', transient, reason };
    }
    for (const requestId of unknown) {
      rejected.push({
        offset: messageOfRequest.get(requestId)!.offset,
        errorClass: 'UnknownRequest',
        message: `no PHX push request ${requestId} is stored`,
      });
    }
    return { kind: 'done', rejected };
  }
}

function parseAccepted(
  message: KafkaInboundMessage,
): PhxPushAcceptedMessage | KafkaRejectedMessage {
  const parsed = jsonObjectOf(message);
  if ('rejected' in parsed) return parsed.rejected;
  const { requestId } = parsed.value;
  if (typeof requestId !== 'string' || !UUID.test(requestId)) {
    return rejection(message, 'SchemaViolation', 'value must be { "requestId": "<uuid>" }');
  }
  return { requestId };
}
