#!/usr/bin/env bash
# ApplicationStop: nothing runs yet on a fresh instance; a real app would stop its service here.
set -euo pipefail
echo "stopping web (if running)"
