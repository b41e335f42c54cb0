#!/usr/bin/env bash
# Install Debian's nginx for the cluster test, which runs the Rasa servers
# behind the shipped deploy/nginx.conf. Its own service is not started: the
# test runs a private nginx on free ports.
set -euo pipefail
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "No apt-get: install nginx yourself (the cluster test needs it)" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing Debian's nginx for the cluster test..."
$SUDO apt-get update -qq
# policy-rc.d 101: do not start the packaged service (port 80 is not ours to take).
OWN_POLICY=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  OWN_POLICY=1
fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx-light >/dev/null
[ -z "$OWN_POLICY" ] || $SUDO rm -f /usr/sbin/policy-rc.d
