import { SendEmailV3 } from 'phx-node';
import { SignalConfig } from '../../config/signal-config';
import { ChannelFailure } from './channel-failure';
import { PushMessage, PushSendReport } from './push-provider';

/** What the channel thread is started with (plain data: it crosses the thread boundary). */
export interface ChannelThreadSettings {
  push: SignalConfig['push'];
  smtp: SignalConfig['smtp'];
  /** SMTP connections of the pool: one per request of a delivery chunk. */
  smtpConnections: number;
}

/** A send the main thread asks of the channel thread. */
export type ChannelCall =
  | { kind: 'push'; message: PushMessage; tokens: string[] }
  | { kind: 'email'; notificationId: string; email: SendEmailV3 };

/** What each kind of call answers. */
export interface ChannelResults {
  push: PushSendReport;
  email: { messageId: string };
}

export type ChannelThreadRequest = (ChannelCall & { id: number }) | { kind: 'close' };

export type ChannelThreadReply =
  | { id: number; value: ChannelResults[ChannelCall['kind']] }
  | { id: number; failure: ChannelFailure };
