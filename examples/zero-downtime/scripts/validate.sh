#!/usr/bin/env bash
# ValidateService: this deployment's release is the live one, with its page and its secrets.
set -euo pipefail
root="${BATON_INSTANCE_ROOT:-}/srv/zero-downtime"
live=$(readlink "$root/current" || true)
[ "$live" = "releases/${DEPLOYMENT_ID}" ] || { echo "current is ${live:-missing}, not releases/${DEPLOYMENT_ID}"; exit 1; }
[ -f "$root/current/index.html" ] || { echo "index.html missing from the release"; exit 1; }
[ -f "$root/current/.env" ] || { echo ".env missing from the release"; exit 1; }
# On an instance, ask the server too: curl --fail --silent --max-time 5 http://localhost/ >/dev/null
echo "releases/${DEPLOYMENT_ID} is live"
