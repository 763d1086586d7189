import { join } from 'node:path';

/**
 * The app's source directory, where its assets are: apps/signal/src when run from TypeScript
 * (tests), dist/apps/signal/src when run from the webpack bundle (dist/apps/signal/main.js), where
 * nest-cli.json's `assets` copies them under their repository paths.
 */
export const APP_SOURCE_ROOT = __filename.endsWith('.ts') ? __dirname : join(__dirname, 'src');
