#!/usr/bin/env bash
# npm run bench:ingest [-- --messages 100000 --recipients 200 --rate 1000 --seconds 10 --baseline 20000]
# Kafka → PostgreSQL → Socket.IO throughput of the built Signal app vs the seed's one-at-a-time
# design, on the same data; see ingest.bench.ts. `--baseline 0` skips the (slow) seed baseline.
# BENCH_CPU_PROF_DIR=bench/results/profiles profiles the app (signal-ingest.cpuprofile, with its
# throughput and latency phases); then
#   npx ts-node -T bench/profile/top-frames.ts bench/results/profiles/signal-ingest.cpuprofile --phase throughput
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source scripts/lib/ensure-node.sh
bash scripts/stack/stack.sh up
npm run build
npx ts-node -T -r tsconfig-paths/register bench/ingest/ingest.bench.ts "$@"
