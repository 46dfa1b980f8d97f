#!/usr/bin/env bash
# AfterInstall: builds releases/<deployment id> from the revision, with this environment's secrets in
# it, while current still points at the release that is live. Nothing changes for the running server.
#
# The folder is built as releases/.<id>.partial-<pid> and renamed into place only when complete: the
# revision's BATON_KIT_SOURCE folder (default app), the kit itself in .baton-kit/ (so that
# current/.baton-kit/rollback.sh is always at hand), then the secrets, written by Baton's
# AfterInstall hook (scripts/baton-after-install.sh, BATON_KIT_SECRETS_HOOK) with BATON_APP_DIR set
# to the new folder. A failure leaves no release folder behind.
set -euo pipefail

kit_dir=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source=SCRIPTDIR/lib.sh
. "$kit_dir/lib.sh"
kit_hook_start "$kit_dir"

# The revision's root is the nearest folder above the kit that holds the appspec.
revision="$kit_dir"
until [ -f "$revision/appspec.yml" ] || [ -f "$revision/appspec.yaml" ]; do
  [ "$revision" != / ] || kit_fail "no appspec.yml above $kit_dir: the kit belongs inside the revision" 2
  revision=$(dirname "$revision")
done
source_name="${BATON_KIT_SOURCE:-app}"
[[ "$source_name" != /* && "/$source_name/" != */../* ]] ||
  kit_fail "BATON_KIT_SOURCE must be a folder inside the revision, not ${source_name}" 2
source_dir="$revision/$source_name"
[ -d "$source_dir" ] || kit_fail "the revision has no folder ${source_name} (BATON_KIT_SOURCE)" 2
secrets_hook="${BATON_KIT_SECRETS_HOOK:-$kit_dir/../baton-after-install.sh}"
if [ "$secrets_hook" != none ] && [ ! -f "$secrets_hook" ]; then
  kit_fail "the secrets hook ${secrets_hook} is missing (ship codedeploy/after-install.sh as scripts/baton-after-install.sh, or set BATON_KIT_SECRETS_HOOK=none)" 2
fi

release="$releases/$DEPLOYMENT_ID"
partial="$releases/.$DEPLOYMENT_ID.partial-$$"
mkdir -p "$releases"
live=$(kit_current_id)
[ "$live" != "$DEPLOYMENT_ID" ] || kit_fail "current already points to $release" 2
# A folder of the same id is a leftover of an earlier attempt of this deployment: never live, rebuilt.
rm -rf "$release" "$releases/.$DEPLOYMENT_ID.partial-"*
trap 'rm -rf "$partial"' EXIT
mkdir "$partial"
cp -R "$source_dir/." "$partial/"
mkdir "$partial/.baton-kit"
cp "$kit_dir"/*.sh "$partial/.baton-kit/"
chmod 0755 "$partial/.baton-kit/"*.sh
if [ -f "$kit_dir/kit.conf" ]; then cp "$kit_dir/kit.conf" "$partial/.baton-kit/kit.conf"; fi

if [ "$secrets_hook" = none ]; then
  kit_log "no secrets hook (BATON_KIT_SECRETS_HOOK=none)"
else
  BATON_APP_DIR="$partial" bash "$secrets_hook" || kit_fail "the secrets hook failed (exit $?)" "$?"
fi

mv -T "$partial" "$release"
trap - EXIT
kit_log "built $release; ApplicationStart makes it live"
