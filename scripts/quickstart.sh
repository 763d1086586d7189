#!/usr/bin/env bash
# `npm run quickstart`: everything from a fresh clone to a running Signal app on :${PORT:-3000}.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-dependencies.sh
bash scripts/stack/stack.sh up
# A local try-out: the well-known development JWT secret and API key stand in for unset ones.
export SIGNAL_DEV_CREDENTIALS="${SIGNAL_DEV_CREDENTIALS:-true}"
echo "==> build"
npm run --silent build
echo "==> migrations"
node dist/apps/signal/main.js migrate
echo "==> starting Signal (Ctrl-C to stop)"
exec node dist/apps/signal/main.js
