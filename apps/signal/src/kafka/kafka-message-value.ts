import { KafkaInboundMessage, KafkaRejectedMessage } from './kafka-batch.types';
import { errorMessage } from '../common/error-message';

/** Dead-letters `message` with this error class and reason. */
export function rejection(
  message: KafkaInboundMessage,
  errorClass: string,
  reason: string,
): KafkaRejectedMessage {
  return { offset: message.offset, errorClass, message: reason };
}

/** The message's value as a JSON object, or why it is not one (`InvalidJson`, `SchemaViolation`). */
export function jsonObjectOf(
  message: KafkaInboundMessage,
): { value: Record<string, unknown> } | { rejected: KafkaRejectedMessage } {
  let value: unknown;
  try {
    value = JSON.parse(message.value?.toString('utf8') ?? '');
  } catch (error) {
    const reason = `value is not JSON: ${errorMessage(error)}`;
    return { rejected: rejection(message, 'InvalidJson', reason) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { rejected: rejection(message, 'SchemaViolation', 'value must be a JSON object') };
  }
  return { value: value as Record<string, unknown> };
}
