import { loadWithDevCredentials } from '../config-testing';
import { parseKafka } from './kafka.section';

describe(parseKafka.name, () => {
  it('should refuse a first retry delay above the cap', () => {
    expect(() =>
      loadWithDevCredentials({ KAFKA_RETRY_INITIAL_MS: '6000', KAFKA_RETRY_MAX_MS: '5000' }),
    ).toThrow('- KAFKA_RETRY_INITIAL_MS: must not exceed KAFKA_RETRY_MAX_MS');
  });
});
