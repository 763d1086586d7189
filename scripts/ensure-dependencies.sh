#!/usr/bin/env bash
# Installs node_modules when missing or older than package-lock.json; sourced by the entry scripts.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci (dependencies missing or out of date)"
  npm ci --no-audit --no-fund
fi
