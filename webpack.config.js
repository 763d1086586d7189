const { dirname, join } = require('node:path');

// Nest's webpack defaults, plus the PHX channel thread: a worker thread runs a bundle of its own,
// beside main.js.
module.exports = (options) => ({
  ...options,
  entry: {
    main: options.entry,
    'channel-thread.worker': './apps/signal/src/phx-push/channels/channel-thread.worker.ts',
  },
  output: { ...options.output, filename: join(dirname(options.output.filename), '[name].js') },
});
