#!/usr/bin/env bash
# npm run bench:fanout [-- --clients 5000,10000 --rate 2000 --seconds 10 --workers 4 ...]
# Socket.IO fan-out of the built Signal app vs a bare Socket.IO server; see fanout.bench.ts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source scripts/lib/ensure-node.sh

bash scripts/stack/stack.sh up
# One descriptor per socket on both sides; keep the hard limit if 65536 is not allowed here.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "==> open files limit: $(ulimit -n)"

# The server under test is the real build, as `npm start` runs it.
npm run build
npx ts-node -T -r tsconfig-paths/register bench/fanout/fanout.bench.ts "$@"
