import { ServiceCodes } from '../service-codes';
import { KafkaTopics, SignalKafkaConsumerDefaults } from './topics';

describe('KafkaTopics', () => {
  it('should keep the wire names of SPEC §7', () => {
    expect(KafkaTopics.SIGNAL_ACTIVITY_NOTIFICATION).toBe('signal.activity-notification');
    expect(KafkaTopics.SIGNAL_ACTIVITY_NOTIFICATION_DLQ).toBe('signal.activity-notification.dlq');
  });

  it('should derive the consumer ids of seed 000 from the service code', () => {
    expect(ServiceCodes.SIGNAL).toBe('SIGNAL');
    expect(SignalKafkaConsumerDefaults).toEqual({
      CLIENT_ID: 'SIGNAL_NOTIF_CONSUMER',
      GROUP_ID: 'SIGNAL_NOTIF_CONSUMER_GROUP',
    });
  });
});
