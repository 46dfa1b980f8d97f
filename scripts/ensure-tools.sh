#!/usr/bin/env bash
# Makes sure the tools the tests start are present: moto server (S3, SNS, Secrets Manager), Chromium
# for the browser tests and shellcheck for the hook kit's scripts. Installs what is missing.
set -euo pipefail
if ! command -v moto_server >/dev/null 2>&1; then
  echo "moto_server not found: installing moto[server] with pip"
  python3 -m pip install --quiet 'moto[server]>=5.1'
fi
apt_install() { # command package
  if command -v "$1" >/dev/null 2>&1; then return 0; fi
  echo "$1 not found: installing Debian's $2"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$2" >/dev/null
}
apt_install chromium chromium
apt_install shellcheck shellcheck
