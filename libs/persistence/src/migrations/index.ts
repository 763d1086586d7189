import { CreateActivityNotifications1763800000000 } from './1763800000000-CreateActivityNotifications';

/** Listed, not globbed, so the bundled app and the CLI run the same migrations. Append in order. */
export const signalMigrations = [CreateActivityNotifications1763800000000];
