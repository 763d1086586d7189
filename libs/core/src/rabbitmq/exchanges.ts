/** RabbitMQ exchange names. On the wire: change only with a migration plan. */
export const RabbitMqExchanges = {
  /**
   * Topic exchange, durable, where V1 services publish their events (seed 003; routing key
   * `{service}.{EventName}`); renaming it needs every publisher to move.
   */
  LEGACY_NOTIFICATIONS: 'notifications.exchange',
} as const;
