import { loadWithDevCredentials } from '../config-testing';
import { parseGateway } from './gateway.section';

describe(parseGateway.name, () => {
  it('should refuse a replay overlap shorter than the Kafka session timeout', () => {
    const env = { KAFKA_SESSION_TIMEOUT_MS: '45000', SIGNAL_REPLAY_OVERLAP_MS: '30000' };
    expect(() => loadWithDevCredentials(env)).toThrow(
      '- SIGNAL_REPLAY_OVERLAP_MS: must be at least KAFKA_SESSION_TIMEOUT_MS',
    );
    expect(loadWithDevCredentials({ ...env, KAFKA_ENABLED: 'false' }).gateway.replayOverlapMs).toBe(
      30000,
    );
  });
});
