/**
 * Carries one correlation id from where a request enters Signal (HTTP, Socket.IO handshake,
 * Kafka, AMQP) to the logs of its delivery. On the wire: callers send it and read it back.
 * The AMQP side uses the message's standard `correlationId` property instead of a header.
 */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** What Signal accepts as a correlation id; anything else is replaced by a new id. */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
