import { SignalConfig } from '../../config/signal-config';
import { ChannelRetryPolicy } from './channel-retry.policy';

describe(ChannelRetryPolicy.name, () => {
  const sut = new ChannelRetryPolicy({
    phx: { deliveryMaxAttempts: 3, retryInitialMs: 1_000, retryMaxMs: 60_000 },
  } as SignalConfig);

  it.each([
    [1, 1_000],
    [2, 2_000],
  ])(
    'should try a transient failure of attempt %i again within %i ms, jitter taken off',
    (attempt, longest) => {
      const outcome = sut.outcomeOf(attempt, { reason: 'timeout', transient: true });

      expect(outcome).toMatchObject({
        status: 'pending',
        reason: `attempt ${attempt} of 3 failed: timeout`,
      });
      const retryInMs = outcome.status === 'pending' ? outcome.retryInMs : NaN;
      expect(retryInMs).toBeLessThanOrEqual(longest);
      expect(retryInMs).toBeGreaterThanOrEqual(0.8 * longest);
    },
  );

  it.each([
    ['a transient failure of the last attempt', true, 3, 'timeout (gave up after 3 attempts)'],
    ['a failure that is not transient', false, 1, 'timeout'],
  ])('should fail %s for good', (_, transient, attempt, reason) => {
    const detail = { provider: 'fcm' };

    expect(sut.outcomeOf(attempt, { reason: 'timeout', transient }, detail)).toEqual({
      status: 'failed',
      reason,
      detail,
    });
  });
});
