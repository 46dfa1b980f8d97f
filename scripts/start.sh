#!/usr/bin/env bash
# `npm start`: installs what the local stack needs on first use, then runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ]; then npm ci --no-audit --no-fund; fi
if ! command -v moto_server >/dev/null 2>&1; then python3 -m pip install --quiet 'moto[server]>=5.1'; fi
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
exec npx tsx local/start.ts "$@"
