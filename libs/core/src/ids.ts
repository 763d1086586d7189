/**
 * A user, organizer or merchant id as Signal takes it, wherever it comes from (JWT claims, Kafka
 * events, legacy events, admin paths). Such an id names a Socket.IO room and appears in URL
 * paths, hence no whitespace and no "/".
 */
export const RECIPIENT_ID_PATTERN = /^[^\s/]{1,128}$/;

/** {@link RECIPIENT_ID_PATTERN} in words, for validation messages. */
export const RECIPIENT_ID_RULE = '1-128 characters without whitespace or "/"';
