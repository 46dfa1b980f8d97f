#!/usr/bin/env bash
# Makes sure the tools the tests start are present: moto server (S3, SNS, Secrets Manager) and
# Chromium for the browser tests. Installs what is missing.
set -euo pipefail
if ! command -v moto_server >/dev/null 2>&1; then
  echo "moto_server not found: installing moto[server] with pip"
  python3 -m pip install --quiet 'moto[server]>=5.1'
fi
if ! command -v chromium >/dev/null 2>&1; then
  echo "chromium not found: installing Debian's chromium"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
