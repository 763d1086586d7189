import { DynamicModule, Module } from '@nestjs/common';
import { PersistenceModule } from '@signal/persistence';
import { SignalConfig } from './config/signal-config';
import { SignalConfigModule } from './config/signal-config.module';
import { DemoModule } from './demo/demo.module';
import { AuthModule } from './auth/auth.module';
import { HealthModule } from './health/health.module';
import { KafkaNotificationModule } from './kafka-notification/kafka-notification.module';
import { LegacyRabbitAdapterModule } from './legacy-rabbit/legacy-rabbit-adapter.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { NotificationCenterModule } from './phx-push/notification-center/notification-center.module';
import { PhxAdminModule } from './phx-push/admin/phx-admin.module';
import { PhxConsumerModule } from './phx-push/consumer/phx-consumer.module';
import { PhxProducerModule } from './phx-push/producer/phx-producer.module';
import { SignalGatewayModule } from './signal-gateway/signal-gateway.module';
import { KafkaModule, TransportDrainService } from './kafka';

@Module({})
export class AppModule {
  static register(config: SignalConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SignalConfigModule.forRoot(config),
        LoggingModule,
        PersistenceModule.forRootAsync({
          inject: [SignalConfig],
          useFactory: (settings: SignalConfig) => ({
            ...settings.database,
            applicationName: 'signal',
          }),
        }),
        MetricsModule,
        KafkaModule.forRoot(config.kafka),
        AuthModule,
        HealthModule,
        SignalGatewayModule,
        KafkaNotificationModule,
        NotificationCenterModule,
        LegacyRabbitAdapterModule,
        PhxProducerModule,
        PhxAdminModule,
        PhxConsumerModule,
        ...(config.demo.enabled ? [DemoModule.register(config.demo)] : []),
      ],
      providers: [TransportDrainService],
    };
  }
}
