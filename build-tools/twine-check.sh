#!/usr/bin/env bash
# twine check on dist/python (the wheel and the sdist): what PyPI will accept and render.
# twine is installed, pinned, into a virtual environment in the cache folder.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. build-tools/cache-env.sh
TWINE_VERSION="7.0.0"
VENV="$MAFS_CACHE_DIR/venv-twine-$TWINE_VERSION"
if [ ! -x "$VENV/bin/twine" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --no-input "twine==$TWINE_VERSION"
fi
shopt -s nullglob
files=(dist/python/*.whl dist/python/*.tar.gz)
[ "${#files[@]}" -eq 2 ] || { echo "build-tools/twine-check.sh: expected one wheel and one sdist in dist/python, found: ${files[*]:-none}; run npx projen package:python" >&2; exit 1; }
"$VENV/bin/twine" check --strict "${files[@]}"
