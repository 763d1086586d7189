import { BeforeApplicationShutdown, Module } from '@nestjs/common';
import { SignalConfig } from '../../config/signal-config';
import { ChannelThread } from './channel-thread';
import { EMAIL_SENDER } from './email-sender';
import { PUSH_PROVIDER } from './push-provider';

/**
 * The PHX Consumer's delivery channels: the configured push provider (`PUSH_PROVIDER` token)
 * and the SMTP e-mail sender (`EMAIL_SENDER`), both sending from the channel thread. Reads the
 * global `SignalConfig`.
 */
@Module({
  providers: [
    {
      provide: ChannelThread,
      inject: [SignalConfig],
      useFactory: ({ push, smtp, phx }: SignalConfig) =>
        new ChannelThread({ push, smtp, smtpConnections: phx.deliveryChunkSize }),
    },
    { provide: PUSH_PROVIDER, inject: [ChannelThread], useFactory: (t: ChannelThread) => t.push },
    { provide: EMAIL_SENDER, inject: [ChannelThread], useFactory: (t: ChannelThread) => t.email },
  ],
  exports: [PUSH_PROVIDER, EMAIL_SENDER],
})
export class PhxChannelsModule implements BeforeApplicationShutdown {
  constructor(private readonly thread: ChannelThread) {}

  /**
   * After every destroy hook: the Kafka transport has drained and committed its batches and the
   * Consumer has finished the sends they started, whatever the modules' import depths, so no
   * claimed channel finds the thread gone (which would fail it as transient and burn an attempt).
   * Sockets and the database close after this.
   */
  beforeApplicationShutdown(): Promise<void> {
    return this.thread.close();
  }
}
