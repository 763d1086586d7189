import { ServiceCodes } from '../service-codes';

/** Kafka topic names. On the wire: change only with a migration plan. */
export const KafkaTopics = {
  SIGNAL_ACTIVITY_NOTIFICATION: 'signal.activity-notification',
  SIGNAL_ACTIVITY_NOTIFICATION_DLQ: 'signal.activity-notification.dlq',
  /** PHX Producer → Consumer handoff: value `PhxPushAcceptedMessage`, key the user id. */
  SIGNAL_PHX_PUSH_ACCEPTED: 'signal.phx-push.accepted',
  SIGNAL_PHX_PUSH_ACCEPTED_DLQ: 'signal.phx-push.accepted.dlq',
} as const;

/** What the PHX Producer hands the Consumer: the id of a stored, accepted push request. */
export interface PhxPushAcceptedMessage {
  requestId: string;
}

export type KafkaTopic = (typeof KafkaTopics)[keyof typeof KafkaTopics];

/** Default ids of Signal's activity-notification consumer (seed 000); env may override them. */
export const SignalKafkaConsumerDefaults = {
  CLIENT_ID: `${ServiceCodes.SIGNAL}_NOTIF_CONSUMER`,
  GROUP_ID: `${ServiceCodes.SIGNAL}_NOTIF_CONSUMER_GROUP`,
} as const;
