import { Inject, Module, OnModuleDestroy } from '@nestjs/common';
import { SignalConfig } from '../../config/signal-config';
import { EmailTemplateRenderer } from './email-template.renderer';
import { PUSH_PROVIDER, PushProvider } from './push-provider';
import { createPushProvider } from './push-provider.factory';
import { SmtpEmailSender } from './smtp.email-sender';

/**
 * The PHX Consumer's delivery channels: the configured push provider (`PUSH_PROVIDER` token)
 * and the SMTP e-mail sender. Reads the global `SignalConfig`.
 */
@Module({
  providers: [
    {
      provide: PUSH_PROVIDER,
      inject: [SignalConfig],
      useFactory: (config: SignalConfig): PushProvider => createPushProvider(config.push),
    },
    EmailTemplateRenderer,
    SmtpEmailSender,
  ],
  exports: [PUSH_PROVIDER, SmtpEmailSender],
})
export class PhxChannelsModule implements OnModuleDestroy {
  constructor(@Inject(PUSH_PROVIDER) private readonly pushProvider: PushProvider) {}

  onModuleDestroy(): Promise<void> {
    return this.pushProvider.close();
  }
}
