#!/usr/bin/env bash
# Renders the mermaid diagram of docs/ARCHITECTURE.md ("What it builds") to docs/images/architecture.svg,
# the picture the README shows on GitHub, npm and PyPI (which render no mermaid). Not part of the
# build: it needs a Chromium (Debian: `apt-get install chromium`) and fetches mermaid-cli with npx.
# The SVG carries the SHA-256 of the diagram source it was drawn from; test/docs.test.ts fails when
# the source changes and the SVG was not rendered again.
set -euo pipefail
cd "$(dirname "$0")/.."
MERMAID_CLI_VERSION=11.17.0
CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$CHROMIUM" ]; then
  echo "render-architecture: no Chromium found (set CHROMIUM, or apt-get install chromium)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The first mermaid block of docs/ARCHITECTURE.md, without its fences.
awk '/^```mermaid/ { f = 1; next } f && /^```/ { exit } f' docs/ARCHITECTURE.md > "$work/architecture.mmd"
hash=$(sha256sum "$work/architecture.mmd" | cut -d' ' -f1)
printf '{"executablePath": "%s", "args": ["--no-sandbox", "--disable-gpu"]}\n' "$CHROMIUM" > "$work/puppeteer.json"
echo '{"flowchart": {"htmlLabels": false}}' > "$work/mermaid.json"
PUPPETEER_SKIP_DOWNLOAD=1 npx --yes -p "@mermaid-js/mermaid-cli@$MERMAID_CLI_VERSION" mmdc \
  -p "$work/puppeteer.json" -c "$work/mermaid.json" -i "$work/architecture.mmd" -o "$work/architecture.svg" -b white
{
  echo "<!-- mermaid-source-sha256: $hash (rendered by build-tools/render-architecture.sh from docs/ARCHITECTURE.md) -->"
  cat "$work/architecture.svg"
} > docs/images/architecture.svg
echo "render-architecture: docs/images/architecture.svg from source $hash"
