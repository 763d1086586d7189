import { Module, OnModuleDestroy } from '@nestjs/common';
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
        new ChannelThread({ push, smtp, smtpConnections: phx.deliveryConcurrency }),
    },
    { provide: PUSH_PROVIDER, inject: [ChannelThread], useFactory: (t: ChannelThread) => t.push },
    { provide: EMAIL_SENDER, inject: [ChannelThread], useFactory: (t: ChannelThread) => t.email },
  ],
  exports: [PUSH_PROVIDER, EMAIL_SENDER],
})
export class PhxChannelsModule implements OnModuleDestroy {
  constructor(private readonly thread: ChannelThread) {}

  onModuleDestroy(): Promise<void> {
    return this.thread.close();
  }
}
