import { CreateActivityNotifications1763800000000 } from './1763800000000-CreateActivityNotifications';
import { CreateActivityNotificationReads1763900000000 } from './1763900000000-CreateActivityNotificationReads';
import { CreatePhxPush1764000000000 } from './1764000000000-CreatePhxPush';
import { CreateLegacyAdapter1765000000000 } from './1765000000000-CreateLegacyAdapter';
import { PhxDeliveriesDueIndexScheduledOnly1766000000000 } from './1766000000000-PhxDeliveriesDueIndexScheduledOnly';
import { PhxPushRequestsCorrelationId1767000000000 } from './1767000000000-PhxPushRequestsCorrelationId';
import { LegacyScheduledEventsOrigin1768000000000 } from './1768000000000-LegacyScheduledEventsOrigin';
import { LegacyProcessedEventsAgeIndex1769000000000 } from './1769000000000-LegacyProcessedEventsAgeIndex';
import { InboxStreamIndexes1770100000000 } from './1770100000000-InboxStreamIndexes';
import { ReadWatermarks1770200000000 } from './1770200000000-ReadWatermarks';
import { PhxPushRequestsAnswer1770300000000 } from './1770300000000-PhxPushRequestsAnswer';
import { PhxPushRequestsDecidedBy1770400000000 } from './1770400000000-PhxPushRequestsDecidedBy';
import { NotificationCenterReadIndex1770500000000 } from './1770500000000-NotificationCenterReadIndex';
import { UnreadCounts1770600000000 } from './1770600000000-UnreadCounts';
import { ReadMarkCounts1770800000000 } from './1770800000000-ReadMarkCounts';

/** Listed, not globbed, so the bundled app and the CLI run the same migrations. Append in order. */
export const signalMigrations = [
  CreateActivityNotifications1763800000000,
  CreateActivityNotificationReads1763900000000,
  CreatePhxPush1764000000000,
  CreateLegacyAdapter1765000000000,
  PhxDeliveriesDueIndexScheduledOnly1766000000000,
  PhxPushRequestsCorrelationId1767000000000,
  LegacyScheduledEventsOrigin1768000000000,
  LegacyProcessedEventsAgeIndex1769000000000,
  InboxStreamIndexes1770100000000,
  ReadWatermarks1770200000000,
  PhxPushRequestsAnswer1770300000000,
  PhxPushRequestsDecidedBy1770400000000,
  NotificationCenterReadIndex1770500000000,
  UnreadCounts1770600000000,
  ReadMarkCounts1770800000000,
];
