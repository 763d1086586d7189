#!/usr/bin/env bash
# npm run bench:phx [-- --sends 10000 --concurrency 64 --users 100 --rate 500 --seconds 10 --overhead 5000]
#   [--app-root <another checkout, built there> --out <result file>]
# phx-node → Producer → Kafka → Consumer (record, push webhook and SMTP on loopback); see phx.bench.ts.
# With --app-root the build measured is that checkout's (migrated by its own main.js migrate);
# this checkout's is still built (the bench's client library and the reference come from it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source scripts/lib/ensure-node.sh
bash scripts/stack/stack.sh up
npm run build
npx ts-node -T -r tsconfig-paths/register bench/phx/phx.bench.ts "$@"
