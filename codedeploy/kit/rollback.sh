#!/usr/bin/env bash
# Rollback on one instance, at once and without a deployment: current goes back to the release that
# was live before it (atomically, as in switch.sh) and the server is reloaded. Run it as the hooks
# run (root by default), from any release: sudo /srv/web/current/.baton-kit/rollback.sh
#
#   rollback.sh [APP_ROOT]   APP_ROOT: default the root of the release this copy is in, else
#                            BATON_KIT_APP_ROOT (kit.conf or environment), else /srv/web
#
# The release rolled back from leaves the history (a second rollback goes one further back) and is
# removed by the next deployment's pruning. If the reload fails, current stays where it was and the
# command fails. CodeDeploy is not told: its next deployment runs as usual.
set -euo pipefail

kit_dir=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source=SCRIPTDIR/lib.sh
. "$kit_dir/lib.sh"
case "${1:-}" in -h | --help)
  sed -n '2,11s/^# \{0,1\}//p' "$0"
  exit 0
  ;;
esac
[ "$#" -le 1 ] || kit_fail "usage: rollback.sh [APP_ROOT]" 2
kit_load_config "$kit_dir"
if [ "$#" = 1 ]; then
  kit_paths "$1"
elif [[ "${kit_dir%/.baton-kit}" =~ ^(/.*)/releases/d-[A-Z0-9]{9}$ ]]; then
  kit_paths "${BASH_REMATCH[1]}"
else
  kit_paths ""
fi

kit_lock
live=$(kit_current_id)
[ -n "$live" ] || kit_fail "$current does not exist: nothing to roll back" 1
mapfile -t ids < <(kit_read_history)
# The history up to the live release (all of it if the live one is not in it), the live one left out.
before=()
for entry in ${ids[@]+"${ids[@]}"}; do
  [ "$entry" != "$live" ] || break
  before+=("$entry")
done
[ "${#before[@]}" -gt 0 ] || kit_fail "no earlier release to roll back to from releases/$live" 1
target="${before[${#before[@]} - 1]}"

kit_activate "$target" "$live" || kit_fail "the rollback to releases/$target failed" 1
kit_write_history "${before[@]}"
kit_log "rolled back from releases/$live to releases/$target"
