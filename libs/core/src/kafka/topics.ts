import { ServiceCodes } from '../service-codes';

/** Kafka topic names. On the wire: change only with a migration plan. */
export const KafkaTopics = {
  SIGNAL_ACTIVITY_NOTIFICATION: 'signal.activity-notification',
  SIGNAL_ACTIVITY_NOTIFICATION_DLQ: 'signal.activity-notification.dlq',
} as const;

export type KafkaTopic = (typeof KafkaTopics)[keyof typeof KafkaTopics];

/** Default ids of Signal's activity-notification consumer (seed 000); env may override them. */
export const SignalKafkaConsumerDefaults = {
  CLIENT_ID: `${ServiceCodes.SIGNAL}_NOTIF_CONSUMER`,
  GROUP_ID: `${ServiceCodes.SIGNAL}_NOTIF_CONSUMER_GROUP`,
} as const;
