#!/usr/bin/env bash
# npm run bench:phx-floor [-- --notifications 5000 --warmup 2000 --compare bench/results/phx.json
#   --target 1330 --out <result file>]
# The CPU floor under bench:phx's cpu_us_per_notification, part by part; see floor.bench.ts.
# Runs the app's classes from source: nothing to build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source scripts/lib/ensure-node.sh
bash scripts/stack/stack.sh up
npx ts-node -T -r tsconfig-paths/register bench/phx/floor.bench.ts "$@"
