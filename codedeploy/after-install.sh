#!/usr/bin/env bash
# Baton's AfterInstall hook: fetches this environment's secrets from Baton's secrets URL and writes
# them into the application folder (.env and any file secrets).
#
# - Signs the request with the instance's role (IMDSv2 credentials, SigV4 via curl --aws-sigv4).
# - Writes every file to a temporary file in its target folder, created 0600 (umask 077), synced,
#   given its owner and mode, and renamed over the target only once ALL files are ready: on any
#   failure the old files stay as they were and no partial file is left behind.
# - Never prints a secret: no `set -x` (do not add it), credentials go to curl on stdin (not argv),
#   and only paths, modes and the server's refusal reason are ever printed.
#
# Settings (environment, or KEY=VALUE lines in $BATON_SECRETS_CONFIG, default /etc/baton/secrets.conf):
#   BATON_SECRETS_URL     the secrets URL (stack output SecretsLambdaFunctionUrl), https   required
#   BATON_APP_DIR         where the files go (the appspec `files` destination)             /srv/web
#   BATON_SECRETS_OWNER   owner of files the pipeline names no owner for (.env)            unchanged
#   BATON_SECRETS_REGION  region for SigV4        AWS_REGION, the URL's region or IMDS placement/region
#   BATON_IMDS_ENDPOINT   instance metadata service                                 http://169.254.169.254
#   BATON_SECRETS_RETRY_DELAY  seconds before the 2nd attempt (twice that before the 3rd)          1
# With AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) set, those sign instead of
# IMDS. Local runs (BATON_INSTANCE_ROOT, BATON_LOCAL_INSTANCE_ID set by the local CodeDeploy) prefix
# the default paths with the sandbox root, sign with placeholder credentials if none are set, and
# name the instance in x-baton-local-instance, a header only the local router reads.
# The CodeDeploy agent sets DEPLOYMENT_ID. Needs bash, curl >= 7.75 and python3.
# Exit codes: 2 setup, 3 credentials, 4 request, 5 refused (400/403), 6 response, 7 writing files.
set -euo pipefail
umask 077

step=setup
fail() {
  echo "baton-secrets: ${step} failed: $1" >&2
  exit "${2:-1}"
}
trap 'fail "interrupted" 1' INT TERM

root="${BATON_INSTANCE_ROOT:-}"
config_file="${BATON_SECRETS_CONFIG:-${root}/etc/baton/secrets.conf}"
if [ -f "$config_file" ]; then
  # KEY=VALUE lines, read as data (never sourced); only the settings above are taken.
  while IFS='=' read -r key value || [ -n "$key" ]; do
    case "$key" in
      BATON_SECRETS_URL | BATON_APP_DIR | BATON_SECRETS_OWNER | BATON_SECRETS_REGION | BATON_IMDS_ENDPOINT | \
        BATON_SECRETS_RETRY_DELAY)
        [ -n "${!key:-}" ] || printf -v "$key" '%s' "${value%$'\r'}" ;;
    esac
  done <"$config_file"
fi

url="${BATON_SECRETS_URL:-}"
app_dir="${BATON_APP_DIR:-${root}/srv/web}"
owner="${BATON_SECRETS_OWNER:-}"
imds="${BATON_IMDS_ENDPOINT:-http://169.254.169.254}"
deployment="${DEPLOYMENT_ID:-}"
retry_delay="${BATON_SECRETS_RETRY_DELAY:-1}"

[ -n "$url" ] || fail "BATON_SECRETS_URL is not set (environment or $config_file)" 2
# The signed request and the secrets travel over TLS; plain http only to this machine itself (the
# local stack). The host must be exactly a loopback address: no user info, no look-alike names.
octet='(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])'
loopback_http="^http://(localhost|127(\\.${octet}){3}|\\[::1\\])(:[0-9]{1,5})?([/?#]|$)"
[[ "${url,,}" =~ ^https://[^/?#] || "${url,,}" =~ $loopback_http ]] ||
  fail "BATON_SECRETS_URL must be https:// (plain http only to a loopback address: 127.0.0.0/8, ::1, localhost)" 2
[[ "$retry_delay" =~ ^[0-9]{1,2}$ ]] || fail "BATON_SECRETS_RETRY_DELAY is not a number of seconds" 2
[[ "$deployment" =~ ^d-[A-Z0-9]{9}$ ]] || fail "DEPLOYMENT_ID is missing or not a deployment id" 2
[ -d "$app_dir" ] || fail "the application folder $app_dir does not exist" 2
[ -z "$owner" ] || [[ "$owner" =~ ^[a-z_][a-z0-9_-]*$ ]] || fail "BATON_SECRETS_OWNER is not a user name" 2
command -v python3 >/dev/null || fail "python3 is required (it reads the response and writes the files)" 2
case "$(curl --help all 2>/dev/null)" in *--aws-sigv4*) ;; *) fail "curl >= 7.75 (with --aws-sigv4) is required" 2 ;; esac

# curl reads its options from stdin here, so that credentials never appear in a process listing.
imds_get() { # path [method]
  printf 'header = "X-aws-ec2-metadata-token: %s"\n' "${imds_token:-}" |
    curl --silent --show-error --fail --max-time 3 --config - -X "${2:-GET}" "${imds}$1"
}

step=credentials
access_key="${AWS_ACCESS_KEY_ID:-}"
secret_key="${AWS_SECRET_ACCESS_KEY:-}"
session_token="${AWS_SESSION_TOKEN:-}"
if [ -z "$access_key" ] && [ -n "${BATON_LOCAL_INSTANCE_ID:-}" ]; then
  access_key=local secret_key=local # the local router checks no signature
elif [ -z "$access_key" ] || [ -z "$secret_key" ]; then
  imds_token=$(printf 'header = "X-aws-ec2-metadata-token-ttl-seconds: 300"\n' |
    curl --silent --show-error --fail --max-time 3 --config - -X PUT "${imds}/latest/api/token") ||
    fail "no IMDSv2 token from ${imds} (is this an EC2 instance with an instance profile?)" 3
  role=$(imds_get /latest/meta-data/iam/security-credentials/) || fail "no instance profile role" 3
  role="${role%%$'\n'*}"
  [[ "$role" =~ ^[A-Za-z0-9+=,.@_-]+$ ]] || fail "the instance has no instance profile role" 3
  { read -r access_key && read -r secret_key && read -r session_token; } < <(
    imds_get "/latest/meta-data/iam/security-credentials/${role}" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["AccessKeyId"]); print(d["SecretAccessKey"]); print(d["Token"])' 2>/dev/null
  ) || fail "could not read the credentials of role ${role} from IMDS" 3
fi
for part in "$access_key" "$secret_key" "$session_token"; do
  [[ "$part" =~ ^[A-Za-z0-9+/=]*$ ]] || fail "the credentials have an unexpected form" 3
done

region="${BATON_SECRETS_REGION:-${AWS_REGION:-${AWS_DEFAULT_REGION:-}}}"
if [ -z "$region" ] && [[ "$url" =~ \.lambda-url\.([a-z0-9-]+)\.on\.aws ]]; then region="${BASH_REMATCH[1]}"; fi
if [ -z "$region" ]; then region=$(imds_get /latest/meta-data/placement/region) || fail "no region" 3; fi
[[ "$region" =~ ^[a-z0-9-]+$ ]] || fail "the region has an unexpected form" 3

step=request
local_header=()
if [ -n "${BATON_LOCAL_INSTANCE_ID:-}" ]; then local_header=(-H "x-baton-local-instance: ${BATON_LOCAL_INSTANCE_ID}"); fi
request() {
  {
    printf 'user = "%s:%s"\n' "$access_key" "$secret_key"
    [ -z "$session_token" ] || printf 'header = "x-amz-security-token: %s"\n' "$session_token"
  } | curl --silent --show-error --max-time 30 --config - \
    --aws-sigv4 "aws:amz:${region}:lambda" \
    -H 'content-type: application/json' ${local_header[@]+"${local_header[@]}"} \
    --data-binary "{\"deploymentId\":\"${deployment}\"}" \
    --write-out '\n%{http_code}' "$url"
}
# Three attempts when the network or Lambda falters (throttled, timed out). Not curl's --retry: it
# would concatenate the bodies of all attempts. The body stays in memory, never in a file.
for attempt in 1 2 3; do
  status=000
  if body=$(request); then
    status="${body##*$'\n'}"
    body="${body%$'\n'*}"
  fi
  case "$status" in 000 | 429 | 502 | 503 | 504) [ "$attempt" = 3 ] || { sleep "$((attempt * retry_delay))"; continue; } ;; esac
  break
done
[ "$status" != 000 ] || fail "could not reach ${url}" 4

step=response
printf '%s' "$body" | python3 -c "$(cat <<'PY'
import base64, json, os, pwd, re, signal, sys

app_dir, default_owner, status, deployment = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
PATH = re.compile(r'^(?!/)(?!.*(^|/)\.\.?(/|$))[A-Za-z0-9._/-]+$')
temps = []

def fail(step, message, code):
    for t in temps:
        try:
            os.unlink(t)
        except OSError:
            pass
    print(f'baton-secrets: {step} failed: {message}', file=sys.stderr)
    sys.exit(code)

signal.signal(signal.SIGTERM, lambda *_: fail('writing files', 'interrupted', 7))
try:
    doc = json.load(sys.stdin)
except ValueError:
    doc = None
if status != '200':
    reason = doc.get('reason') if isinstance(doc, dict) else None
    reason = re.sub(r'[^\x20-\x7e]', '?', str(reason))[:300] if reason else '(no reason given)'
    code = 5 if status in ('400', '403') else 6
    fail('refused' if code == 5 else 'response', f'HTTP {status}: {reason}', code)
files = doc.get('files') if isinstance(doc, dict) else None
if not isinstance(files, list):
    fail('response', 'the response is not the expected JSON ({"files": [...]})', 6)

def owner_ids(owner):
    try:
        return pwd.getpwnam(owner)[2:4] if owner else None
    except KeyError:
        fail('writing files', f'no such user: {owner}', 7)

planned = []
real_app = os.path.realpath(app_dir)
for i, f in enumerate(files):
    ok = isinstance(f, dict) and isinstance(f.get('path'), str) and PATH.match(f['path'])
    ok = ok and isinstance(f.get('mode'), str) and re.match(r'^0[0-7]{3}$', f['mode'])
    ok = ok and f.get('encoding') == 'base64' and isinstance(f.get('content'), str)
    ok = ok and (f.get('owner') is None or re.match(r'^[a-z_][a-z0-9_-]*$', str(f.get('owner'))))
    if not ok:
        fail('response', f'file {i + 1} of the response is malformed', 6)
    try:
        content = base64.b64decode(f['content'], validate=True)
    except ValueError:
        fail('response', f'the content of {f["path"]} is not base64', 6)
    target = os.path.join(app_dir, f['path'])
    # A symlinked folder must not lead a secret outside the application folder.
    folder_real = os.path.realpath(os.path.dirname(target))
    if folder_real != real_app and not folder_real.startswith(real_app.rstrip('/') + '/'):
        fail('writing files', f'{f["path"]} leads outside {app_dir}', 7)
    planned.append((f['path'], target, int(f['mode'], 8), owner_ids(f.get('owner') or default_owner), content))

def give(fd_or_path, ids):
    """chown to the configured owner; skipped when we already are that owner."""
    if ids and (ids[0] != os.geteuid() or ids[1] != os.getegid()):
        (os.fchown if isinstance(fd_or_path, int) else os.chown)(fd_or_path, *ids)

try:
    # Phase 1: every file to a temporary file beside its target, 0600 from creation, synced.
    for n, (path, target, mode, ids, content) in enumerate(planned):
        folder = os.path.dirname(target)
        if not os.path.isdir(folder):
            os.makedirs(folder, mode=0o700)
            give(folder, ids)
        temp = os.path.join(folder, f'.{os.path.basename(target)}.baton-tmp-{os.getpid()}-{n}')
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        temps.append(temp)
        with os.fdopen(fd, 'wb') as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
            give(out.fileno(), ids)
            os.fchmod(out.fileno(), mode)
    # Phase 2: only renames are left; then the folders are synced so that the renames last.
    for (path, target, _, _, _), temp in zip(planned, list(temps)):
        os.replace(temp, target)
        temps.remove(temp)
    for folder in {os.path.dirname(t) for _, t, _, _, _ in planned}:
        dfd = os.open(folder, os.O_RDONLY)
        os.fsync(dfd)
        os.close(dfd)
except OSError as e:
    fail('writing files', f'{e.strerror or e}: {e.filename or app_dir}', 7)

written = ', '.join(f'{p} ({m:04o})' for p, _, m, _, _ in planned) or 'nothing (no secrets configured)'
print(f'baton-secrets: wrote {written} in {app_dir} for {deployment}')
PY
)" "$app_dir" "$owner" "$status" "$deployment"
