#!/usr/bin/env bash
# Packs the built phx-node (npm run build:phx-node) into a tarball, in the folder given as the
# first argument (default dist/packages), and prints the tarball's path. The package is staged
# outside the repository: a second package.json named phx-node inside it would clash with
# libs/phx-node/package.json in Jest's module map.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
build="$root/dist/libs/phx-node-package"
destination="$(mkdir -p "${1:-$root/dist/packages}" && cd "${1:-$root/dist/packages}" && pwd)"

if [[ ! -f "$build/index.js" ]]; then
  echo "pack.sh: no build in $build; run npm run build:phx-node first" >&2
  exit 1
fi

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp "$root/libs/phx-node/package.json" "$root/libs/phx-node/README.md" "$stage/"
cp -R "$build" "$stage/dist"
tarball="$(cd "$stage" && npm pack --silent --pack-destination "$destination")"
echo "$destination/$tarball"
