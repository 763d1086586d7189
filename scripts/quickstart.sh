#!/usr/bin/env bash
# `npm run quickstart`: everything from a fresh clone to a running Signal app on :${PORT:-3000}.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-dependencies.sh
bash scripts/stack/stack.sh up
echo "==> build"
npm run --silent build
echo "==> migrations"
node dist/apps/signal/main.js migrate
echo "==> starting Signal (Ctrl-C to stop)"
exec node dist/apps/signal/main.js
