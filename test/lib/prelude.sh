# Sourced (not run) by the consumer tests (test/{python,java,go,new-project}/run.sh)
# after their `set -euo pipefail`:
#   - ROOT: the repository root, and the working directory from here on;
#   - the cache folder's variables (build-tools/cache-env.sh: MAFS_CACHE_DIR, MAFS_M2, GOMODCACHE...);
#   - fail MESSAGE: prints "<the sourcing script, relative to ROOT>: MESSAGE" to stderr and exits 1;
#   - cdk_synth_quiet OUT NAME [cdk synth args...]: `cdk synth --quiet -o OUT/NAME`, its output kept in
#     OUT/NAME.log and shown only when it fails (the examples' placeholder warnings are expected);
#   - typescript_example_synth OUT: the TypeScript example's cloud assembly in OUT/typescript;
#   - typescript_multi_region_synth OUT: the TypeScript multi-Region example's (three stacks) in
#     OUT/typescript-multi-region.
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

# Whether nothing the TypeScript examples are made from changed after MANIFEST was written.
typescript_assembly_fresh() {
  [ -f "$1" ] && [ -z "$(find src examples/typescript tsconfig.dev.json cdk.json package-lock.json \
    -newer "$1" -print -quit)" ]
}

# In `build`, `synth:example` has just written the example's assembly to cdk.out: it is copied when
# nothing the example is made from changed after it (src/, examples/typescript/, tsconfig.dev.json,
# cdk.json, package-lock.json), instead of synthesizing the same app again; otherwise synthesized.
typescript_example_synth() {
  local out="$1"
  if typescript_assembly_fresh cdk.out/manifest.json; then
    cp -R cdk.out "$out/typescript"
    echo "The TypeScript example's assembly: cdk.out (newer than src/ and examples/typescript/)"
  else
    cdk_synth_quiet "$out" typescript
  fi
}

# The same for the multi-Region example: `synth:example:multi-region` writes cdk.out.multi-region in
# `build`; copied when fresh, otherwise synthesized (one `cdk synth` of three stacks).
typescript_multi_region_synth() {
  local out="$1"
  if typescript_assembly_fresh cdk.out.multi-region/manifest.json; then
    cp -R cdk.out.multi-region "$out/typescript-multi-region"
    echo "The TypeScript multi-Region example's assembly: cdk.out.multi-region (newer than src/ and examples/typescript/)"
  else
    cdk_synth_quiet "$out" typescript-multi-region --app \
      'npx ts-node --transpile-only --prefer-ts-exts --project tsconfig.dev.json examples/typescript/multi-region.ts'
  fi
}

# A language's multi-Region twin against TypeScript's: LANGUAGE and the twin's `--app` command;
# synthesizes both (TypeScript's copied when fresh) and compares the three stacks.
compare_multi_region_twin() {
  local out="$1" language="$2" app="$3" started
  typescript_multi_region_synth "$out"
  started=$SECONDS
  cdk_synth_quiet "$out" "$language-multi-region" --app "$app"
  echo "Synthesized the $language multi-Region example in $((SECONDS - started))s"
  python3 test/consumers/compare_templates.py "$out/typescript-multi-region" "$out/$language-multi-region" "$language" \
    PaymentApiEu PaymentApiUs PaymentApiGlobal
}
