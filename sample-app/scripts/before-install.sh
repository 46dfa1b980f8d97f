#!/usr/bin/env bash
# BeforeInstall: make sure the install folder exists.
set -euo pipefail
mkdir -p "${BATON_INSTANCE_ROOT:-}/srv/web"
echo "install folder ready"
