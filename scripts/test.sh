#!/usr/bin/env bash
# The one test command (`npm test`): installs what the tests need, then typecheck, lint, every test
# (unit, integration on moto, end to end on the local stack, browser), packaging and cfn-lint.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s\n' "$*"; }

step "install npm packages"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund; fi

bash scripts/ensure-tools.sh

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

step "typecheck"
npx tsc --noEmit -p .

step "lint and format"
npx --yes @biomejs/biome@2.6.8 ci --colors=off .

step "import rules (dependency-cruiser)"
npx depcruise --config .dependency-cruiser.cjs --output-type err shared functions local cli bench test

step "tests"
npx vitest run

step "package (osls) and cfn-lint"
rm -rf .serverless
npx osls package --stage dev
set +e
cfn-lint .serverless/cloudformation-template-update-stack.json
rc=$?
set -e
# 4 = warnings only: W3005 comes from the per-function-roles plugin's explicit DependsOn.
if [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ]; then echo "cfn-lint failed ($rc)"; exit "$rc"; fi
echo "all checks passed"
