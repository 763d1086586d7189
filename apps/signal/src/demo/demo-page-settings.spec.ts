import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NotificationWebSocketTopics } from '@signal/core';
import { demoPageSettings } from './demo-page-settings.response';
import { DEMO_PAGE_ROOT } from './demo.module';

describe(demoPageSettings.name, () => {
  it('should hand the mail catcher URL over as configured, for the page to set as a property', () => {
    const url = 'http://127.0.0.1:1080/?a=1&b="<2>"';

    expect(demoPageSettings({ mailCatcherUrl: url }).mailCatcherUrl).toBe(url);
  });

  it('should have no mail catcher URL without one', () => {
    expect(demoPageSettings({ mailCatcherUrl: null }).mailCatcherUrl).toBeNull();
  });

  it('should name the socket topics of the wire contract', () => {
    expect(demoPageSettings({ mailCatcherUrl: null }).topics).toEqual({
      notificationCreated: NotificationWebSocketTopics.NOTIFICATION_CREATED,
      replayTruncated: NotificationWebSocketTopics.REPLAY_TRUNCATED,
      recordCreated: NotificationWebSocketTopics.NOTIFICATION_CENTER_RECORD_CREATED,
    });
  });

  it.each(['demo.html', 'demo.js', 'demo.css'])(
    'should find %s where the page is served from',
    (file) => {
      expect(existsSync(join(DEMO_PAGE_ROOT, file))).toBe(true);
    },
  );
});
