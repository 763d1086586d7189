import { NotificationWebSocketTopics } from '@signal/core';
import { ApiProperty } from '@nestjs/swagger';

/** What the page shows besides the Notification Center. */
export interface DemoPageOptions {
  /** Web UI of the mail catcher to link to; null: no link. */
  mailCatcherUrl: string | null;
}

/** The socket topics the page listens to, from the wire contract. */
export class DemoPageTopics {
  @ApiProperty({ example: NotificationWebSocketTopics.NOTIFICATION_CREATED })
  notificationCreated!: string;

  @ApiProperty({ example: NotificationWebSocketTopics.REPLAY_TRUNCATED })
  replayTruncated!: string;

  @ApiProperty({ example: NotificationWebSocketTopics.NOTIFICATION_CENTER_RECORD_CREATED })
  recordCreated!: string;
}

/** `GET /demo/settings`: what the static page cannot know by itself. */
export class DemoPageSettingsResponse implements DemoPageOptions {
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'uri',
    description: 'Web UI of the mail catcher to link to; null: no link',
  })
  mailCatcherUrl!: string | null;

  @ApiProperty({ type: DemoPageTopics })
  topics!: DemoPageTopics;
}

/** The page's settings: the mail catcher URL as configured, the topics from core. */
export const demoPageSettings = ({
  mailCatcherUrl,
}: DemoPageOptions): DemoPageSettingsResponse => ({
  mailCatcherUrl,
  topics: {
    notificationCreated: NotificationWebSocketTopics.NOTIFICATION_CREATED,
    replayTruncated: NotificationWebSocketTopics.REPLAY_TRUNCATED,
    recordCreated: NotificationWebSocketTopics.NOTIFICATION_CENTER_RECORD_CREATED,
  },
});
