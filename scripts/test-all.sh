#!/usr/bin/env bash
# `npm run test:all`: unit, medium and e2e tests against the real local stack, from a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-dependencies.sh
bash scripts/stack/stack.sh up
bash scripts/ensure-chromium.sh
echo "==> build (tests run the built app too)"
npm run --silent build
echo "==> jest: unit, medium and e2e tiers"
npx jest --config jest.config.js "$@"
