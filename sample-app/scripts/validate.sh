#!/usr/bin/env bash
# ValidateService, the smoke test: the site is installed, it started, and its .env is in place.
set -euo pipefail
root="${BATON_INSTANCE_ROOT:-}/srv/web"
[ -f "$root/index.html" ] || { echo "smoke test: index.html missing"; exit 1; }
[ -f "$root/started-at" ] || { echo "smoke test: the service did not start"; exit 1; }
if [ -n "${BATON_EXPECT_ENV:-}" ]; then
  [ -f "$root/.env" ] || { echo "smoke test: .env missing"; exit 1; }
fi
echo "smoke test passed"
