#!/usr/bin/env bash
# Follows the README's "Your first app (new project)" section in temporary folders, as a new user
# would, with this build's packages instead of the released ones:
#   TypeScript: the README's steps, `npm install multi-az-failover-service` replaced by the npm
#               tarball in dist/js; then the README's app.ts through `npx cdk synth`;
#   Python:     the README's steps, `pip install multi-az-failover-service` replaced by the wheel in
#               dist/python; then the README's app.py through the CDK CLI.
# The two templates must be equal (test/consumers/compare_templates.py). Everything comes from the
# registries' caches where it can (npm --prefer-offline; pip's wheelhouse in the cache folder).
set -euo pipefail
# ROOT (the working directory), the cache folder's variables, fail and cdk_synth_quiet.
. "$(dirname "${BASH_SOURCE[0]}")/../lib/prelude.sh"

# The first fenced block after `<!-- new-project:NAME`, from README.md.
readme_block() {
  awk -v marker="<!-- new-project:$1 " 'index($0, marker) == 1 { found = 1; next }
    found && /^```/ { if (inblock) exit; inblock = 1; next }
    found && inblock { print }' README.md
}

VERSION="$(node -p "require('./package.json').version")"
TARBALL="$ROOT/dist/js/multi-az-failover-service@$VERSION.jsii.tgz"
shopt -s nullglob
wheels=(dist/python/*.whl)
shopt -u nullglob
[ -f "$TARBALL" ] || fail "no $TARBALL; build it first: npx projen compile && npx projen package:js"
[ "${#wheels[@]}" -eq 1 ] || fail "expected one wheel in dist/python, found ${#wheels[@]}; run npx projen package:python"
WHEEL="$ROOT/${wheels[0]}"
CDK_VERSION="$(node -p "require('./node_modules/aws-cdk-lib/package.json').version")"
CONSTRUCTS_VERSION="$(node -p "require('./node_modules/constructs/package.json').version")"
CLI_VERSION="$(node -p "require('./node_modules/aws-cdk/package.json').version")"

# Replace $1 by $2 in the steps on stdin, and fail if $1 is not there: the README changed.
substitute() {
  local steps
  steps="$(cat)"
  [[ "$steps" == *"$1"* ]] || fail "the README's new-project steps no longer contain: $1 (update test/new-project/run.sh)"
  printf '%s\n' "${steps//"$1"/"$2"}"
}

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export npm_config_prefer_offline=true npm_config_audit=false npm_config_fund=false npm_config_loglevel=error
export npm_config_update_notifier=false

# --- TypeScript ---------------------------------------------------------------------------
ts_steps="$(readme_block typescript-steps \
  | substitute 'npm install multi-az-failover-service aws-cdk-lib constructs' \
    "npm install '$TARBALL' aws-cdk-lib@$CDK_VERSION constructs@$CONSTRUCTS_VERSION" \
  | substitute 'npm install --save-dev aws-cdk ' "npm install --save-dev aws-cdk@$CLI_VERSION ")"
readme_block typescript-app >"$WORK/app.ts"
[ -s "$WORK/app.ts" ] || fail "no typescript-app block in README.md"
(
  cd "$WORK"
  bash -euo pipefail -c "$ts_steps" >"$WORK/ts-steps.log" 2>&1 || { cat "$WORK/ts-steps.log" >&2; exit 1; }
  mv "$WORK/app.ts" payment-api/app.ts
  cd payment-api
  npx cdk synth --quiet >"$WORK/ts-synth.log" 2>&1 || { cat "$WORK/ts-synth.log" >&2; exit 1; }
  node -e "const v = require('typescript/package.json').version; if (+v.split('.')[0] >= 7) { console.error('TypeScript ' + v + ' is not below 7'); process.exit(1); }"
) || fail "the TypeScript new project failed (above)"
echo "TypeScript new project synthesized (${SECONDS}s)"

# --- Python -------------------------------------------------------------------------------
WHEELHOUSE="$MAFS_CACHE_DIR/pip/wheelhouse"
py_steps="$(readme_block python-steps \
  | substitute '.venv/bin/pip install multi-az-failover-service aws-cdk-lib constructs' \
    ".venv/bin/pip download --quiet --no-input --only-binary=:all: --dest '$WHEELHOUSE' aws-cdk-lib==$CDK_VERSION constructs==$CONSTRUCTS_VERSION \
     && .venv/bin/pip install --quiet --no-input --no-compile --no-index --find-links '$WHEELHOUSE' '$WHEEL' aws-cdk-lib==$CDK_VERSION constructs==$CONSTRUCTS_VERSION")"
readme_block python-app >"$WORK/app.py"
[ -s "$WORK/app.py" ] || fail "no python-app block in README.md"
(
  cd "$WORK"
  bash -euo pipefail -c "$py_steps" >"$WORK/py-steps.log" 2>&1 || { cat "$WORK/py-steps.log" >&2; exit 1; }
  mv "$WORK/app.py" payment-api-py/app.py
  cd payment-api-py
  # The README runs `npx aws-cdk`; the same CLI version is already in the TypeScript project.
  "$WORK/payment-api/node_modules/.bin/cdk" synth --quiet --app ".venv/bin/python app.py" >"$WORK/py-synth.log" 2>&1 \
    || { cat "$WORK/py-synth.log" >&2; exit 1; }
) || fail "the Python new project failed (above)"
echo "Python new project synthesized (${SECONDS}s)"

python3 test/consumers/compare_templates.py "$WORK/payment-api/cdk.out" "$WORK/payment-api-py/cdk.out" python PaymentApi
echo "test/new-project/run.sh: passed (${SECONDS}s)"
