#!/usr/bin/env bash
# ApplicationStart: makes releases/<deployment id> live. current is replaced in one rename (a new
# symlink moved over it with mv -T), so that it never goes missing; then the server is reloaded
# gracefully. If the reload fails, current goes back to the release that was live and the hook
# fails. Last, old releases are pruned: the newest BATON_KIT_KEEP (default 5) are kept, and never
# the live one or the one before it.
set -euo pipefail

kit_dir=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source=SCRIPTDIR/lib.sh
. "$kit_dir/lib.sh"
kit_hook_start "$kit_dir"
keep=$(kit_keep)
id="$DEPLOYMENT_ID"
[ -d "$releases/$id" ] ||
  kit_fail "$releases/$id does not exist: AfterInstall builds it (scripts/kit/install.sh)" 2

kit_lock
previous=$(kit_current_id)
if [ "$previous" = "$id" ]; then
  kit_log "releases/$id is live already"
else
  kit_activate "$id" "$previous" || kit_fail "releases/$id did not go live" 1
fi

# The history ends with the release that was live (when it was missing, say current was set by
# hand) and then this one.
mapfile -t ids < <(kit_read_history)
order=()
for entry in ${ids[@]+"${ids[@]}"}; do
  if [ "$entry" != "$id" ] && [ "$entry" != "$previous" ]; then order+=("$entry"); fi
done
if [ -n "$previous" ] && [ "$previous" != "$id" ] && [ -d "$releases/$previous" ]; then order+=("$previous"); fi
order+=("$id")
kit_write_history "${order[@]}"
kit_prune "$keep"
