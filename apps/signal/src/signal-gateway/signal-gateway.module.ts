import { Module } from '@nestjs/common';
import { ActivityPersistenceModule } from '@signal/persistence';
import { SocketEmitController } from './emit/socket-emit.controller';
import { SignalEventService } from './emit/signal-event.service';
import { ActivityInboxController } from './inbox/activity-inbox.controller';
import { ActivityInboxService } from './inbox/activity-inbox.service';
import { NotificationReplayService } from './socket/notification-replay.service';
import { NotificationSocketEventService } from './socket/notification-socket-event.service';
import { SignalGateway } from './socket/signal.gateway';
import { SocketHandshakeService } from './socket/socket-handshake.service';
import { SocketRedisConnection } from './socket/socket-redis.connection';

/** Socket.IO rooms, the REST emit endpoints and the activity inbox (SPEC §3). */
@Module({
  imports: [ActivityPersistenceModule],
  controllers: [SocketEmitController, ActivityInboxController],
  providers: [
    SignalGateway,
    SocketRedisConnection,
    SocketHandshakeService,
    NotificationReplayService,
    NotificationSocketEventService,
    SignalEventService,
    ActivityInboxService,
  ],
  exports: [NotificationSocketEventService, SignalEventService],
})
export class SignalGatewayModule {}
