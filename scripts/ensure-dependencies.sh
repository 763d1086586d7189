#!/usr/bin/env bash
# Sourced by the entry scripts: the project's Node LTS first on PATH, then node_modules installed
# when missing or older than package-lock.json.
source "$(dirname "${BASH_SOURCE[0]}")/lib/ensure-node.sh"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci (dependencies missing or out of date)"
  npm ci --no-audit --no-fund
fi
