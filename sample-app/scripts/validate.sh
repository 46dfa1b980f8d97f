#!/usr/bin/env bash
# ValidateService, the smoke test: the site is installed, its server answers with the release just
# deployed, and its .env is in place.
set -euo pipefail
root="${BATON_INSTANCE_ROOT:-}/srv/web"
port="${BATON_INSTANCE_PORT:-8080}"
[ -f "$root/index.html" ] || { echo "smoke test: index.html missing"; exit 1; }
[ -f "$root/started-at" ] || { echo "smoke test: the service did not start"; exit 1; }
if [ -n "${BATON_EXPECT_ENV:-}" ]; then
  [ -f "$root/.env" ] || { echo "smoke test: .env missing"; exit 1; }
fi
# GET /release over bash's /dev/tcp: the body is the release the server serves.
(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "smoke test: nothing listens on port $port"; exit 1; }
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /release HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
response="$(cat <&3)"
exec 3<&-
# The first and the last line, by expansion: a pipe into head could end printf with SIGPIPE (exit 141
# under pipefail) when head stops reading first.
status="${response%%$'\n'*}"
status="${status%$'\r'}"
served="${response##*$'\n'}"
served="${served%$'\r'}"
case "$status" in
  "HTTP/1."?" 200"*) ;;
  *) echo "smoke test: GET /release on port $port answered ${status:-nothing}"; exit 1 ;;
esac
if [ -n "${DEPLOYMENT_ID:-}" ] && [ "$served" != "$DEPLOYMENT_ID" ]; then
  echo "smoke test: the server serves $served, not $DEPLOYMENT_ID"
  exit 1
fi
echo "smoke test passed: port $port serves $served"
