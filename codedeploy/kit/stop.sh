#!/usr/bin/env bash
# ApplicationStop. CodeDeploy runs this hook from the revision deployed BEFORE, so a stop script that
# fails would fail every later deployment until one is made with --ignore-application-stop-failures.
# This one never fails: it exits 0 whatever happens (see README.md, "ApplicationStop").
#
# By default it stops nothing: the server keeps serving current while the new release is built, and
# switch.sh reloads it gracefully. BATON_KIT_STOP_COMMAND, for a server that cannot reload, is run
# and its failure (say the server was stopped already) only reported: that server is down from here
# until ApplicationStart starts it, so the deployment is not zero-downtime.
set -eu
trap 'exit 0' EXIT

kit_dir=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source=SCRIPTDIR/lib.sh
. "$kit_dir/lib.sh"
KIT_TOLERANT=1 kit_load_config "$kit_dir"
if [ -z "${BATON_KIT_STOP_COMMAND:-}" ]; then
  kit_log "nothing to stop: the server keeps serving current until ApplicationStart reloads it"
  exit 0
fi
kit_log "stopping: ${BATON_KIT_STOP_COMMAND}"
if sh -c "$BATON_KIT_STOP_COMMAND" 9>&-; then
  kit_log "stopped"
else
  echo "baton-kit: warning: the stop command failed (exit $?); carrying on, the server may have been stopped already" >&2
fi
