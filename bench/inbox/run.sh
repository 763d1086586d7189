#!/usr/bin/env bash
# npm run bench:inbox [-- --sizes 1000000,10000000 --samples 200 --warmup 20 --center-max 3000000 --keep]
# A member's activity inbox and Notification Center on N seeded rows, through HTTP to the built
# app: pages, unread list and count, single marks, read-all; see inbox.bench.ts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source scripts/lib/ensure-node.sh
bash scripts/stack/stack.sh up
npm run build
npx ts-node -T -r tsconfig-paths/register bench/inbox/inbox.bench.ts "$@"
