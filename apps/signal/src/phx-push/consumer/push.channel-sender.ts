import { Inject, Injectable } from '@nestjs/common';
import { PhxDeviceTokenRepository } from '@signal/persistence';
import {
  ChannelAttempt,
  ChannelResult,
  ChannelSend,
  ChannelSender,
} from '../channels/channel-sender';
import { PUSH_PROVIDER, PushProvider, toPushMessage } from '../channels/push-provider';
import { ChannelRetryPolicy } from './channel-retry.policy';
import { requestOf } from './delivery-state';

/**
 * The push of a request (`pushNotiMobile`) to every active device of its user's app, through the
 * configured {@link PushProvider}; the tokens it calls dead are answered for deactivation.
 */
@Injectable()
export class PushChannelSender implements ChannelSender {
  readonly channel = 'push';

  constructor(
    @Inject(PUSH_PROVIDER) private readonly pushProvider: PushProvider,
    private readonly devices: PhxDeviceTokenRepository,
    private readonly retry: ChannelRetryPolicy,
  ) {}

  /** The active device tokens of every attempt's user and app, in one statement. */
  async prepare(attempts: ChannelAttempt[]): Promise<ChannelSend> {
    const owners = new Map<string, { userId: string; app: string }>();
    for (const { state } of attempts) {
      const push = requestOf(state).pushNotiMobile;
      if (push)
        owners.set(ownerKey(state.userId, push.app), { userId: state.userId, app: push.app });
    }
    const found = await this.devices.activeTokensOf([...owners.values()]);
    const tokensOf = new Map(
      found.map(({ userId, app, tokens }) => [ownerKey(userId, app), tokens]),
    );
    return (attempt) => this.send(attempt, tokensOf);
  }

  private async send(
    { state, attempt }: ChannelAttempt,
    tokensOf: Map<string, string[]>,
  ): Promise<ChannelResult> {
    const push = requestOf(state).pushNotiMobile;
    if (!push) {
      return {
        outcome: { status: 'failed', reason: 'request has no pushNotiMobile block' },
        dead: [],
      };
    }
    const tokens = tokensOf.get(ownerKey(state.userId, push.app)) ?? [];
    if (tokens.length === 0) {
      return {
        outcome: { status: 'skipped', reason: `no active device of app ${push.app}` },
        dead: [],
      };
    }
    const report = await this.pushProvider.send(toPushMessage(state.requestId, push), tokens);
    const dead = report.dead.map(({ token, reason }) => ({ app: push.app, token, reason }));
    const detail = {
      provider: this.pushProvider.name,
      devices: tokens.length,
      sent: report.sent.length,
      dead: report.dead.map(({ reason }) => reason),
      failed: report.failed.map(({ reason }) => reason),
    };
    if (report.sent.length > 0) {
      const missed = tokens.length - report.sent.length;
      const reason = missed > 0 ? `${missed} of ${tokens.length} devices not reached` : null;
      return { outcome: { status: 'sent', reason, detail }, dead };
    }
    if (report.failed.length === 0) {
      const reason = 'every device token is dead (deactivated)';
      return { outcome: { status: 'failed', reason, detail }, dead };
    }
    const failure = report.failed.find((f) => f.transient) ?? report.failed[0];
    return { outcome: this.retry.outcomeOf(attempt, failure, detail), dead };
  }
}

const ownerKey = (userId: string, app: string) => JSON.stringify([userId, app]);
