# shellcheck shell=bash
# Baton's zero-downtime kit: what its scripts share. Sourced by them, never run on its own.
#
# Layout under the application root (BATON_KIT_APP_ROOT):
#   releases/<deployment id>/   one folder per deployment: the revision's app, its secrets, .baton-kit/
#   current -> releases/<id>    the live release, always replaced by rename(2), never missing
#   .baton-kit-history          release ids in the order they went live, the newest last
#   .baton-kit.lock             held while current, the history or releases/ change

KIT_SETTINGS=" BATON_KIT_APP_ROOT BATON_KIT_SOURCE BATON_KIT_KEEP BATON_KIT_SECRETS_HOOK \
BATON_KIT_RELOAD_COMMAND BATON_KIT_SERVICE BATON_KIT_PID_FILE BATON_KIT_RELOAD_SIGNAL \
BATON_KIT_START_COMMAND BATON_KIT_STOP_COMMAND "
KIT_ID_PATTERN='^d-[A-Z0-9]{9}$'

kit_log() { echo "baton-kit: $*"; }
kit_fail() {
  echo "baton-kit: $1" >&2
  exit "${2:-1}"
}

# KEY=VALUE lines of the kit's config file (default kit.conf beside the scripts), read as data and
# never sourced; a setting already in the environment wins. Unknown keys fail, unless KIT_TOLERANT=1
# (the stop hook must never fail), where they are only reported.
kit_load_config() { # kit_dir
  local file="${BATON_KIT_CONFIG:-$1/kit.conf}" key value
  if [ ! -f "$file" ]; then
    [ -z "${BATON_KIT_CONFIG:-}" ] || kit_config_problem "the config file $file does not exist"
    return 0
  fi
  while IFS='=' read -r key value || [ -n "$key" ]; do
    key="${key#"${key%%[![:space:]]*}"}"
    case "$key" in '' | '#'*) continue ;; esac
    value="${value%$'\r'}"
    case "$value" in \"*\" | \'*\') value="${value:1:${#value}-2}" ;; esac
    if [[ "$KIT_SETTINGS" != *" $key "* ]]; then
      kit_config_problem "unknown setting ${key} in $file"
      continue
    fi
    [ -n "${!key:-}" ] || printf -v "$key" '%s' "$value"
  done <"$file"
}

kit_config_problem() {
  if [ "${KIT_TOLERANT:-0}" = 1 ]; then echo "baton-kit: warning: $1" >&2; else kit_fail "$1" 2; fi
}

# Sets app_root, releases, current, history and lock. The root is the argument, else the setting
# (default /srv/web), inside BATON_INSTANCE_ROOT on a local instance.
kit_paths() { # app_root (empty: the setting)
  app_root="${1:-${BATON_INSTANCE_ROOT:-}${BATON_KIT_APP_ROOT:-/srv/web}}"
  [[ "$app_root" == /* ]] || kit_fail "the application root must be an absolute path, not ${app_root}" 2
  app_root="${app_root%/}"
  releases="$app_root/releases"
  current="$app_root/current"
  history="$app_root/.baton-kit-history"
  lock="$app_root/.baton-kit.lock"
}

kit_require_deployment() {
  [[ "${DEPLOYMENT_ID:-}" =~ $KIT_ID_PATTERN ]] ||
    kit_fail "DEPLOYMENT_ID is missing or not a deployment id (the CodeDeploy agent sets it)" 2
}

# What a deployment hook starts with: its settings, the deployment id, the paths.
kit_hook_start() { # kit_dir
  kit_load_config "$1"
  kit_require_deployment
  kit_paths ""
}

kit_keep() {
  local keep="${BATON_KIT_KEEP:-5}"
  [[ "$keep" =~ ^[1-9][0-9]{0,2}$ ]] || kit_fail "BATON_KIT_KEEP must be a number from 1 to 999, not ${keep}" 2
  echo "$keep"
}

# One kit step at a time per application root (flock where util-linux has it).
kit_lock() {
  mkdir -p "$app_root"
  exec 9>"$lock"
  if command -v flock >/dev/null 2>&1; then
    flock -w 120 9 || kit_fail "another kit step has held $lock for 2 minutes" 1
  fi
}

# The id of the release current points to; nothing when there is no current yet.
kit_current_id() {
  if [ ! -L "$current" ]; then
    [ ! -e "$current" ] ||
      kit_fail "$current is not a symlink: move it away once, the kit manages it as a link to releases/<id>" 2
    return 0
  fi
  local target
  target=$(readlink "$current")
  echo "${target##*/}"
}

# The history, one valid id a line; ids whose folder is gone are left out.
kit_read_history() {
  [ -f "$history" ] || return 0
  local id
  while IFS= read -r id || [ -n "$id" ]; do
    if [[ "$id" =~ $KIT_ID_PATTERN ]] && [ -d "$releases/$id" ]; then echo "$id"; fi
  done <"$history"
}

kit_write_history() { # id...
  local tmp="$history.tmp.$$"
  if [ "$#" -gt 0 ]; then printf '%s\n' "$@" >"$tmp"; else : >"$tmp"; fi
  mv -f "$tmp" "$history"
}

# Points current at releases/<id> atomically: a new symlink renamed over the old one (rename(2)
# replaces it in one step). Not `ln -sfn`: POSIX has it unlink current first, leaving a moment
# without it.
kit_point_current() { # id
  local tmp="$app_root/.current.tmp.$$"
  rm -f "$tmp" && ln -s "releases/$1" "$tmp" && mv -T "$tmp" "$current"
}

# Graceful reload of the server, configured by the first of: BATON_KIT_RELOAD_COMMAND (run by sh),
# BATON_KIT_SERVICE (systemctl reload), BATON_KIT_PID_FILE (a signal, BATON_KIT_RELOAD_SIGNAL, default
# HUP). When that fails, the fallback runs: BATON_KIT_START_COMMAND, else `systemctl restart` for a
# service. Nothing configured: nothing to reload (a server that reads current on each request).
# Commands run without the lock's descriptor, so that a server they start never holds the lock.
kit_reload() {
  local signal="${BATON_KIT_RELOAD_SIGNAL:-HUP}" pid fallback=""
  BATON_KIT_RELEASE="$releases/$(kit_current_id)"
  export BATON_KIT_RELEASE BATON_KIT_CURRENT="$current"
  if [ -n "${BATON_KIT_RELOAD_COMMAND:-}" ]; then
    kit_log "reloading: ${BATON_KIT_RELOAD_COMMAND}"
    sh -c "$BATON_KIT_RELOAD_COMMAND" 9>&- && return 0
  elif [ -n "${BATON_KIT_SERVICE:-}" ]; then
    kit_log "reloading: systemctl reload ${BATON_KIT_SERVICE}"
    systemctl reload "$BATON_KIT_SERVICE" 9>&- && return 0
    fallback="systemctl restart ${BATON_KIT_SERVICE}"
  elif [ -n "${BATON_KIT_PID_FILE:-}" ]; then
    pid=$(cat "$BATON_KIT_PID_FILE" 2>/dev/null || true)
    if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
      kit_log "reloading: kill -${signal} ${pid} (from ${BATON_KIT_PID_FILE})"
      kill -"$signal" "$pid" && return 0
    else
      kit_log "no running process in ${BATON_KIT_PID_FILE}"
    fi
  else
    kit_log "no reload configured: the server follows current by itself"
    return 0
  fi
  fallback="${BATON_KIT_START_COMMAND:-$fallback}"
  if [ -z "$fallback" ]; then
    echo "baton-kit: the reload failed and no BATON_KIT_START_COMMAND is set" >&2
    return 1
  fi
  kit_log "the reload failed; falling back to: ${fallback}"
  sh -c "$fallback" 9>&-
}

# Makes releases/<id> live and reloads the server. If the reload fails, current goes back to
# <previous> (when there is one) and the server is reloaded once more, so that it runs what current
# says; the step then fails. Settings are checked before anything changes.
kit_activate() { # id previous
  [[ "${BATON_KIT_RELOAD_SIGNAL:-HUP}" =~ ^[A-Z][A-Z0-9]*$ ]] ||
    kit_fail "BATON_KIT_RELOAD_SIGNAL must be a signal name such as HUP or USR2" 2
  kit_point_current "$1" || return 1
  kit_log "current -> releases/$1"
  kit_reload && return 0
  if [ -n "$2" ] && [ -d "$releases/$2" ] && kit_point_current "$2"; then
    echo "baton-kit: the reload failed: current is back on releases/$2" >&2
    kit_reload || true
  fi
  return 1
}

# Keeps the newest <keep> releases of the history, and always current and the one before it;
# removes every other release folder (rolled back, never live) and dead partial builds. Anything
# in releases/ not named like a deployment id is left alone.
kit_prune() { # keep
  local keep="$1" live before="" id name pid dir i
  local -a ids=() kept=()
  live=$(kit_current_id)
  mapfile -t ids < <(kit_read_history)
  for ((i = 0; i < ${#ids[@]}; i++)); do
    if [ "${ids[i]}" = "$live" ] && [ "$i" -gt 0 ]; then before="${ids[i - 1]}"; fi
  done
  for ((i = 0; i < ${#ids[@]}; i++)); do
    id="${ids[i]}"
    if [ "$i" -ge $((${#ids[@]} - keep)) ] || [ "$id" = "$live" ] || [ "$id" = "$before" ]; then kept+=("$id"); fi
  done
  for dir in "$releases"/* "$releases"/.*.partial-*; do
    [ -e "$dir" ] || continue
    name="${dir##*/}"
    if [[ "$name" == .*.partial-* ]]; then
      pid="${name##*.partial-}"
      if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then continue; fi
    elif ! [[ "$name" =~ $KIT_ID_PATTERN ]] || [ "$name" = "$live" ] || [[ " ${kept[*]-} " == *" $name "* ]]; then
      continue
    fi
    rm -rf "$dir"
    kit_log "removed releases/$name"
  done
  kit_write_history ${kept[@]+"${kept[@]}"}
}
