#!/usr/bin/env bash
# npm run bench:hostile-input [-- --requests 100 --url-chars 16000 --field-bytes 1000000]
# What hostile caller input costs: the e-mail masking of a 16 KB URL (alone and through the built
# app) and a 1 MB field of a Kafka activity message through the worker; see hostile-input.bench.ts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source scripts/lib/ensure-node.sh
bash scripts/stack/stack.sh up
npm run build
npx ts-node -T -r tsconfig-paths/register bench/hostile-input/hostile-input.bench.ts "$@"
