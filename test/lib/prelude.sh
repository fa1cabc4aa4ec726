# Sourced (not run) by the consumer tests (test/java/run.sh, test/go/run.sh, test/new-project/run.sh)
# after their `set -euo pipefail`:
#   - ROOT: the repository root, and the working directory from here on;
#   - the cache folder's variables (build-tools/cache-env.sh: MAFS_CACHE_DIR, MAFS_M2, GOMODCACHE...);
#   - fail MESSAGE: prints "<the sourcing script, relative to ROOT>: MESSAGE" to stderr and exits 1;
#   - cdk_synth_quiet OUT NAME [cdk synth args...]: `cdk synth --quiet -o OUT/NAME`, its output kept in
#     OUT/NAME.log and shown only when it fails (the examples' placeholder warnings are expected).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MAFS_TEST_SCRIPT="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)/$(basename "${BASH_SOURCE[1]}")"
MAFS_TEST_SCRIPT="${MAFS_TEST_SCRIPT#"$ROOT"/}"
cd "$ROOT"
. build-tools/cache-env.sh

fail() {
  echo "$MAFS_TEST_SCRIPT: $*" >&2
  exit 1
}

cdk_synth_quiet() {
  local out="$1" name="$2"
  shift 2
  npx cdk synth --quiet -o "$out/$name" "$@" >"$out/$name.log" 2>&1 || { cat "$out/$name.log" >&2; fail "cdk synth of the $name example failed"; }
}
