#!/usr/bin/env bash
# The Python end-to-end test: install the freshly built wheel from dist/python into a new virtual
# environment, as a Python user would (dependencies from PyPI, nothing from this source tree), and
# run test/python/test_python_package.py against it.
#
#   npx projen compile && npx projen package:python   # builds dist/python/*.whl
#   bash test/python/run.sh [pytest args...]
#
# The virtual environment (.venv-pytest, git-ignored) is deleted and recreated on every run; pip's
# cache is kept outside the clone, so only the first run on a machine downloads aws-cdk-lib.
set -euo pipefail

# ROOT (the working directory), the cache folder's variables, fail and typescript_example_synth.
. "$(dirname "${BASH_SOURCE[0]}")/../lib/prelude.sh"

VENV="$ROOT/.venv-pytest"
# pip's cache and wheelhouse live outside the clone (README, "Contributing"), so fresh clones are warm.
export PIP_CACHE_DIR="${MAFS_CACHE_DIR:-$HOME/.cache/multi-az-failover-service}/pip"
export PIP_DISABLE_PIP_VERSION_CHECK=1
# Nothing from the source tree or the user's site-packages may leak into the test interpreter.
unset PYTHONPATH
export PYTHONNOUSERSITE=1

# --- 1. The single wheel in dist/python ------------------------------------------------------
shopt -s nullglob
wheels=(dist/python/*.whl)
shopt -u nullglob
if [ "${#wheels[@]}" -eq 0 ]; then
  fail "no wheel in dist/python; build it first: npx projen compile && npx projen package:python"
fi
if [ "${#wheels[@]}" -gt 1 ]; then
  fail "expected one wheel in dist/python, found ${#wheels[@]}: ${wheels[*]}; delete dist/python and run npx projen package:python"
fi
WHEEL="$ROOT/${wheels[0]}"

# --- 2. The wheel must be built from the current source ---------------------------------------
# The TypeScript side of the parity test runs src/ through ts-node, the Python side runs the
# JavaScript bundled in the wheel. Both must come from the same source, so that a change in src/
# (a new default, say) is never compared against itself on one side and an old build on the other,
# and never hidden because both sides are equally old:
#   src/**/*.ts  -- older than -->  .jsii and lib/   (mtime: lib/ is compiled from src/)
#   README.md    -- equal to   -->  the README jsii copied into .jsii
#   .jsii, lib/, README.md  -- byte-equal to --> the npm tarball embedded in the wheel
#   package.json version == the version of that tarball
python3 - "$WHEEL" <<'PY' || fail "dist/python holds a stale wheel; rebuild it: npx projen compile && npx projen package:python"
import io, json, pathlib, sys, tarfile, zipfile

wheel = pathlib.Path(sys.argv[1])
root = pathlib.Path.cwd()
version = json.loads((root / "package.json").read_text())["version"]
name = json.loads((root / "package.json").read_text())["name"]
problems = []

compiled = [root / ".jsii", *sorted((root / "lib").rglob("*.js"))]
if not (root / ".jsii").exists():
    sys.exit("no .jsii: run npx projen compile")
oldest_build = min(p.stat().st_mtime for p in compiled)
newer_src = [str(p.relative_to(root)) for p in (root / "src").rglob("*.ts") if p.stat().st_mtime > oldest_build]
if newer_src:
    problems.append(f"src/ changed after the last compile: {', '.join(sorted(newer_src))}")
# jsii copies the README into the assembly at compile time; pacmak renders the wheel's long
# description from that copy.
assembly = json.loads((root / ".jsii").read_text())
if assembly.get("schema") == "jsii/file-redirect":
    import gzip
    assembly = json.loads(gzip.decompress((root / assembly["filename"]).read_bytes()))
if assembly.get("readme", {}).get("markdown", "").strip() != (root / "README.md").read_text().strip():
    problems.append("README.md changed after the last compile")

with zipfile.ZipFile(wheel) as zf:
    tgz_name = f"multi_az_failover_service/_jsii/{name}@{version}.jsii.tgz"
    if tgz_name not in zf.namelist():
        found = [n for n in zf.namelist() if n.endswith(".jsii.tgz")]
        sys.exit(f"{wheel.name} does not embed {tgz_name} (package.json version {version}); found: {found}")
    with tarfile.open(fileobj=io.BytesIO(zf.read(tgz_name))) as tar:
        embedded = {m.name.removeprefix("package/"): tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}

# The README is the wheel's long description: an edited README needs a new wheel too.
local = {str(p.relative_to(root)): p.read_bytes() for p in [*compiled, root / "README.md"]}
for path, content in local.items():
    if path not in embedded:
        problems.append(f"{path} is not in the wheel")
    elif embedded[path] != content:
        problems.append(f"{path} differs from the wheel's copy")
for path in embedded:
    if path.startswith("lib/") and path.endswith(".js") and path not in local:
        problems.append(f"the wheel has {path}, which lib/ no longer has")

if problems:
    print(f"{wheel.name} is not built from the current source:", *problems, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print(f"{wheel.name}: built from the current lib/ and .jsii (version {version})")
PY

# --- 3. A fresh virtual environment with the wheel and its dependencies from PyPI -------------
# aws-cdk-lib and constructs are pinned to the versions the TypeScript side builds with, so both
# sides of the parity test synthesize with the same library; the other dependencies are whatever
# PyPI has that the wheel's Requires-Dist allows.
CDK_VERSION="$(node -p "require('./node_modules/aws-cdk-lib/package.json').version")"
CONSTRUCTS_VERSION="$(node -p "require('./node_modules/constructs/package.json').version")"
PYTEST_VERSION="9.2.0"
mapfile -t WHEEL_REQUIRES < <(python3 - "$WHEEL" <<'PY'
import sys, zipfile
from email.parser import Parser
with zipfile.ZipFile(sys.argv[1]) as zf:
    meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
    print(*Parser().parsestr(zf.read(meta).decode()).get_all("Requires-Dist", []), sep="\n")
PY
)
REQUIREMENTS=("${WHEEL_REQUIRES[@]}" "aws-cdk-lib==$CDK_VERSION" "constructs==$CONSTRUCTS_VERSION" "pytest==$PYTEST_VERSION")

rm -rf "$VENV"
python3 -m venv "$VENV"
# pip's HTTP cache (PIP_CACHE_DIR) only keeps responses that carry caching headers, which not
# every proxy passes on; so the wheels pip resolves from PyPI are also kept in a wheelhouse in the
# same git-ignored folder. `pip download` asks PyPI and fetches only what the wheelhouse lacks; the
# install then reads the wheelhouse only, and the package itself only from dist/python.
# cwd is the venv so that nothing in the source tree can be picked up as a package.
WHEELHOUSE="$PIP_CACHE_DIR/wheelhouse"
(
  cd "$VENV"
  bin/python -m pip download --quiet --no-input --only-binary=:all: --dest "$WHEELHOUSE" "${REQUIREMENTS[@]}"
  # --no-compile: byte-compiling all of aws-cdk-lib's bindings takes ~30 s; Python compiles the
  # modules the tests import, on first import, into the same __pycache__ folders.
  bin/python -m pip install --quiet --no-input --no-compile --no-index --find-links "$WHEELHOUSE" \
    "$WHEEL" "${REQUIREMENTS[@]}"
)
echo "Installed $(basename "$WHEEL") with aws-cdk-lib $CDK_VERSION and constructs $CONSTRUCTS_VERSION into $VENV (${SECONDS}s)"

# --- 4. The TypeScript examples, synthesized by the CDK CLI for the parity tests ---------------
SYNTH_DIR="$VENV/synth"
mkdir -p "$SYNTH_DIR"
typescript_example_synth "$SYNTH_DIR"
typescript_multi_region_synth "$SYNTH_DIR"
echo "Synthesized the TypeScript examples (${SECONDS}s)"

# --- 5. pytest with the virtual environment's interpreter ------------------------------------
export MAFS_TS_SYNTH_DIR="$SYNTH_DIR/typescript"
export MAFS_PY_SYNTH_DIR="$SYNTH_DIR/python"
export MAFS_TS_MULTI_REGION_SYNTH_DIR="$SYNTH_DIR/typescript-multi-region"
export MAFS_PY_MULTI_REGION_SYNTH_DIR="$SYNTH_DIR/python-multi-region"
export MAFS_EXPECTED_CDK_VERSION="$CDK_VERSION"
export MAFS_EXPECTED_CONSTRUCTS_VERSION="$CONSTRUCTS_VERSION"
exec "$VENV/bin/python" -m pytest test/python -ra -p no:cacheprovider "$@"
