#!/usr/bin/env bash
# Headless Chromium for the demo page's browser test (test/demo): Debian's `chromium` package at
# /usr/bin/chromium, driven by playwright-core, which downloads no browser. Does nothing when it
# is installed; otherwise installs it with apt-get (as root, or through sudo).
set -euo pipefail
CHROMIUM=/usr/bin/chromium
[ -x "$CHROMIUM" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and there is no apt-get: install Chromium at that path" >&2
  exit 1
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "ensure-chromium: installing chromium needs root or sudo" >&2; exit 1; }
  as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
echo "==> installing Debian's chromium for the browser test (once)"
# A fresh image has no package lists yet: refresh them only when the install cannot find the package.
if ! "${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium; then
  echo "==> apt-get update, then retrying"
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium
fi
"$CHROMIUM" --version
