#!/usr/bin/env bash
# ApplicationStart: starts the web server (server/server.js, installed in /opt/web) on this instance's
# port (BATON_INSTANCE_PORT on a local instance, else 8080), serving the release just installed, and
# waits until it accepts connections (up to 30 s: a loaded machine starts node slowly).
set -euo pipefail
root="${BATON_INSTANCE_ROOT:-}"
port="${BATON_INSTANCE_PORT:-8080}"
run="$root/var/run/web"
mkdir -p "$run"
WEB_PORT="$port" WEB_ROOT="$root/srv/web" WEB_RELEASE="${DEPLOYMENT_ID:-unknown}" \
  nohup node "$root/opt/web/server.js" >"$run/server.log" 2>&1 </dev/null &
echo $! >"$run/pid"
for _ in $(seq 1 300); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    date -u +%FT%TZ >"$root/srv/web/started-at"
    echo "web started on port $port (pid $(cat "$run/pid"))"
    exit 0
  fi
  kill -0 "$(cat "$run/pid")" 2>/dev/null || { echo "web exited:"; cat "$run/server.log"; exit 1; }
  sleep 0.1
done
echo "web did not listen on port $port within 30 s"
exit 1
