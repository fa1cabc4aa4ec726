#!/usr/bin/env bash
# `npx projen package:go`: the Go module (dist/go), built with Go's caches in the cache folder.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. build-tools/cache-env.sh
command -v go >/dev/null || { echo "build-tools/package-go.sh: no 'go' on PATH: install Go 1.26 or newer (go.dev/dl), which github.com/aws/aws-cdk-go/awscdk/v2 requires" >&2; exit 1; }
jsii-pacmak -v --target go
