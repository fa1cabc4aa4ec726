#!/usr/bin/env bash
# cfn-lint over every synthesized template: the example app (cdk.out/) and the stacks of the
# compliance tests (test-reports/cfn-templates/). Zero errors and zero warnings: cfn-lint exits
# non-zero on either. A current cfn-lint is installed into its own virtual environment, because
# the machine image's copy can lag the CloudFormation schemas that aws-cdk-lib emits.
# The virtual environment is kept in the cache folder (build-tools/cache-env.sh), one per version,
# so that a fresh clone does not install cfn-lint again.
set -euo pipefail
cd "$(dirname "$0")/.."
. build-tools/cache-env.sh
version="${CFN_LINT_VERSION:?set CFN_LINT_VERSION}"
venv="$MAFS_CACHE_DIR/venv-cfn-lint-$version"
if [ ! -x "$venv/bin/cfn-lint" ] || [ "$("$venv/bin/cfn-lint" --version 2>/dev/null)" != "cfn-lint $version" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  PIP_CACHE_DIR="$MAFS_CACHE_DIR/pip" "$venv/bin/pip" install --quiet --disable-pip-version-check "cfn-lint==$version"
fi
shopt -s nullglob
templates=(cdk.out/*.template.json test-reports/cfn-templates/*.template.json)
if [ "${#templates[@]}" -lt 2 ]; then
  echo "cfn-lint: expected the example app's and the test stacks' templates, found: ${templates[*]:-none}" >&2
  exit 1
fi
"$venv/bin/cfn-lint" --format parseable -- "${templates[@]}"
echo "cfn-lint $version: ${#templates[@]} templates, 0 errors, 0 warnings"
