import { SignalConfig } from '../../config/signal-config';
import { FcmPushProvider } from './fcm.push-provider';
import { NoPushProvider } from './no.push-provider';
import { PushProvider } from './push-provider';
import { WebhookPushProvider } from './webhook.push-provider';

/** The push provider the configuration names (`PUSH_PROVIDER`). */
export function createPushProvider({ provider, timeoutMs }: SignalConfig['push']): PushProvider {
  switch (provider.kind) {
    case 'fcm':
      return new FcmPushProvider(provider, timeoutMs);
    case 'webhook':
      return new WebhookPushProvider(provider, timeoutMs);
    case 'none':
      return new NoPushProvider();
  }
}
