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
served="$(node -e '
  fetch(`http://127.0.0.1:${process.argv[1]}/release`)
    .then(async (r) => { if (!r.ok) throw new Error(`HTTP ${r.status}`); process.stdout.write((await r.text()).trim()); })
    .catch((e) => { console.error(e.message); process.exit(1); });
' "$port")" || { echo "smoke test: the server on port $port does not answer"; exit 1; }
if [ -n "${DEPLOYMENT_ID:-}" ] && [ "$served" != "$DEPLOYMENT_ID" ]; then
  echo "smoke test: the server serves $served, not $DEPLOYMENT_ID"
  exit 1
fi
echo "smoke test passed: port $port serves $served"
