#!/usr/bin/env bash
# `npx projen package:java`: the Java binding (dist/java, a Maven repository layout), built with
# the cached Maven repository that build-tools/java-deps.sh fills.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. build-tools/cache-env.sh
bash build-tools/java-deps.sh
jsii-pacmak -v --target java --maven-local-repository "$MAFS_M2"
