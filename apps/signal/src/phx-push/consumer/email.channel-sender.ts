import { Inject, Injectable } from '@nestjs/common';
import { PhxChannelOutcome } from '@signal/persistence';
import { errorMessage } from '../../common/error-message';
import { ChannelError } from '../channels/channel-failure';
import { ChannelAttempt, ChannelSend, ChannelSender } from '../channels/channel-sender';
import { EMAIL_SENDER, EmailSender } from '../channels/email-sender';
import { ChannelRetryPolicy } from './channel-retry.policy';
import { requestOf } from './delivery-state';

/** The e-mail of a request (`sendEmailV3`), through the configured {@link EmailSender}. */
@Injectable()
export class EmailChannelSender implements ChannelSender {
  readonly channel = 'email';

  constructor(
    @Inject(EMAIL_SENDER) private readonly emailSender: EmailSender,
    private readonly retry: ChannelRetryPolicy,
  ) {}

  /** Nothing to read first. */
  prepare(): Promise<ChannelSend> {
    return Promise.resolve(async (attempt) => ({ outcome: await this.send(attempt), dead: [] }));
  }

  private async send({ state, attempt }: ChannelAttempt): Promise<PhxChannelOutcome> {
    const email = requestOf(state).sendEmailV3;
    if (!email) return { status: 'failed', reason: 'request has no sendEmailV3 block' };
    try {
      const { messageId } = await this.emailSender.send(state.requestId, email);
      return { status: 'sent', reason: null, detail: { messageId } };
    } catch (error) {
      const failure =
        error instanceof ChannelError ? error : { reason: errorMessage(error), transient: false };
      return this.retry.outcomeOf(attempt, failure);
    }
  }
}
