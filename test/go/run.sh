#!/usr/bin/env bash
# The Go consumer test: examples/go (a Go module whose go.mod `replace`s this library's module with
# the freshly built dist/go/multiazfailoverservice) with aws-cdk-go at the aws-cdk-lib version the
# TypeScript side builds with.
#
#   npx projen package:go && bash test/go/run.sh
#
# 1. `go test`: an invalid prop panics with the library's exact message;
# 2. synthesizes examples/go and examples/typescript with the CDK CLI and requires the two
#    templates to be equal as parsed JSON (test/consumers/compare_templates.py);
# 3. the same for the multi-Region example (examples/go/multiregion against
#    examples/typescript/multi-region.ts): its three templates, PaymentApiEu, PaymentApiUs and
#    PaymentApiGlobal.
# Go's module and build caches are in the cache folder (build-tools/cache-env.sh).
set -euo pipefail
# ROOT (the working directory), the cache folder's variables, fail and cdk_synth_quiet.
. "$(dirname "${BASH_SOURCE[0]}")/../lib/prelude.sh"
command -v go >/dev/null || fail "no 'go' on PATH: install Go 1.26 or newer (go.dev/dl), which github.com/aws/aws-cdk-go/awscdk/v2 requires"

MODULE_DIR="dist/go/multiazfailoverservice"
[ -f "$MODULE_DIR/go.mod" ] || fail "no $MODULE_DIR/go.mod; build it first: npx projen compile && npx projen package:go"
[ "$MODULE_DIR/go.mod" -nt .jsii ] || fail "$MODULE_DIR is older than .jsii; rebuild it: npx projen package:go"

# The example pins aws-cdk-go to the aws-cdk-lib version the TypeScript side builds with.
CDK_VERSION="$(node -p "require('./node_modules/aws-cdk-lib/package.json').version")"
grep -q "github.com/aws/aws-cdk-go/awscdk/v2 v$CDK_VERSION\$" examples/go/go.mod \
  || fail "examples/go/go.mod must require github.com/aws/aws-cdk-go/awscdk/v2 v$CDK_VERSION (node_modules/aws-cdk-lib); run: cd examples/go && go get github.com/aws/aws-cdk-go/awscdk/v2@v$CDK_VERSION && go mod tidy"

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

# --- 1. go vet and go test ---------------------------------------------------------------
(cd examples/go && go vet ./... && go test -count=1 ./...)
echo "Ran examples/go's tests (${SECONDS}s)"

# --- 2. Both examples through the CDK CLI, the templates compared --------------------------
(cd examples/go && go build -o "$OUT/payment-api" . && go build -o "$OUT/payment-api-multi-region" ./multiregion)
typescript_example_synth "$OUT"
cdk_synth_quiet "$OUT" go --app "$OUT/payment-api"
python3 test/consumers/compare_templates.py "$OUT/typescript" "$OUT/go" go
echo "Compared the single-Region example (${SECONDS}s)"

# --- 3. The multi-Region example: three stacks, each compared --------------------------------
compare_multi_region_twin "$OUT" go "$OUT/payment-api-multi-region"
echo "test/go/run.sh: passed (${SECONDS}s)"
