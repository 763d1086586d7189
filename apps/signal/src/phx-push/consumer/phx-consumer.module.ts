import { Module } from '@nestjs/common';
import { PhxPersistenceModule } from '@signal/persistence';
import { SignalGatewayModule } from '../../signal-gateway/signal-gateway.module';
import { PhxChannelsModule } from '../channels/phx-channels.module';
import { ChannelRetryPolicy } from './channel-retry.policy';
import { EmailChannelSender } from './email.channel-sender';
import { PhxInAppDelivery } from './in-app.delivery';
import { PhxDeliveryClaims } from './phx-delivery-claims';
import { PushChannelSender } from './push.channel-sender';
import { PhxDeliveryRetryScheduler } from './phx-delivery-retry.scheduler';
import { PhxDeliveryHandler } from './phx-delivery.handler';
import { PhxPushAcceptedController } from './phx-push-accepted.controller';
import { PhxRequestDeliverer } from './phx-request.deliverer';

/**
 * PHX Consumer (SPEC §4): accepted requests from Kafka → record, socket event, push, e-mail;
 * later attempts of channels that failed transiently.
 */
@Module({
  imports: [PhxPersistenceModule, SignalGatewayModule, PhxChannelsModule],
  controllers: [PhxPushAcceptedController],
  providers: [
    PhxDeliveryHandler,
    PhxRequestDeliverer,
    PhxInAppDelivery,
    PhxDeliveryClaims,
    ChannelRetryPolicy,
    PushChannelSender,
    EmailChannelSender,
    PhxDeliveryRetryScheduler,
  ],
})
export class PhxConsumerModule {}
