#!/usr/bin/env bash
# ApplicationStart: a real app would start its service; the sample records that it started.
set -euo pipefail
date -u +%FT%TZ > "${BATON_INSTANCE_ROOT:-}/srv/web/started-at"
echo "web started"
