#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (Playwright drives
# /usr/bin/chromium; its own browser download does not work here).
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "No apt-get: install Chromium yourself and set CHROMIUM=/path/to/chromium" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing Debian's chromium for the browser tests..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
