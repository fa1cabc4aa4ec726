#!/usr/bin/env bash
# Make the Java bindings of this library's jsii dependencies (aws-cdk-lib, constructs and
# aws-cdk-lib's own jsii dependencies) available in a local Maven repository, at exactly the
# versions in node_modules, for `jsii-pacmak --target java` and for examples/java.
#
# For each dependency: already in the local repository -> nothing to do; on the Maven registry ->
# downloaded from there; otherwise (Maven Central can lag npm by weeks) its Java binding is built
# from node_modules/<package> with jsii-pacmak and installed into the local repository.
#
# The local repository lives outside the clone, in the cache folder, so later builds are warm:
#   ${MAFS_CACHE_DIR:-$HOME/.cache/multi-az-failover-service}/m2
# Prints nothing but progress; exits non-zero with what to install when a tool is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CACHE="${MAFS_CACHE_DIR:-$HOME/.cache/multi-az-failover-service}"
M2="$CACHE/m2"
mkdir -p "$M2"

fail() {
  echo "build-tools/java-deps.sh: $*" >&2
  exit 1
}
command -v java >/dev/null || fail "no 'java' on PATH: install a JDK 17 or newer (Debian: apt-get install openjdk-17-jdk-headless)"
command -v mvn >/dev/null || fail "no 'mvn' on PATH: install Apache Maven 3.8 or newer (Debian: apt-get install maven)"
[ -d node_modules/aws-cdk-lib ] || fail "no node_modules/aws-cdk-lib: run npm ci first"

MVN=(mvn --batch-mode --quiet "-Dmaven.repo.local=$M2")

# "npm-name groupId artifactId version", dependencies before the packages that need them.
mapfile -t PACKAGES < <(node - <<'JS'
const path = require('path');
const fs = require('fs');
const order = [];
const seen = new Set();
function visit(name, from) {
  const dir = path.dirname(require.resolve(`${name}/package.json`, { paths: [from] }));
  if (seen.has(dir)) return;
  seen.add(dir);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  // jsii dependencies are the peer and regular dependencies that are themselves jsii assemblies.
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })) {
    let depPkg;
    try {
      depPkg = require.resolve(`${dep}/package.json`, { paths: [dir] });
    } catch {
      continue;
    }
    if (JSON.parse(fs.readFileSync(depPkg, 'utf8')).jsii) visit(dep, dir);
  }
  const maven = pkg.jsii?.targets?.java?.maven;
  if (!maven) throw new Error(`${name} has no Java target`);
  order.push([name, maven.groupId, maven.artifactId, pkg.version, dir].join(' '));
}
visit('aws-cdk-lib', process.cwd());
visit('constructs', process.cwd());
console.log(order.join('\n'));
JS
)

for line in "${PACKAGES[@]}"; do
  read -r name group artifact version dir <<<"$line"
  coords="$group:$artifact:$version"
  jar="$M2/${group//.//}/$artifact/$version/$artifact-$version.jar"
  if [ -f "$jar" ]; then
    echo "java-deps: $coords: in $M2"
    continue
  fi
  echo "java-deps: $coords: asking the Maven registry"
  if "${MVN[@]}" dependency:get "-Dartifact=$coords" -Dtransitive=false >/dev/null 2>&1 && [ -f "$jar" ]; then
    echo "java-deps: $coords: downloaded from the Maven registry"
    continue
  fi
  # Not on the registry (yet): build the binding from the npm package, exactly as its maintainers
  # publish it, and install it into the local repository.
  echo "java-deps: $coords: not on the Maven registry; building it from $name@$version with jsii-pacmak (aws-cdk-lib: 4 to 8 minutes and 4.5 GB of memory)"
  out="$(mktemp -d "$CACHE/pacmak-XXXXXX")"
  start=$SECONDS
  # No javadoc: aws-cdk-lib's takes over 10 minutes and 6 GB, and nothing here reads it.
  npx jsii-pacmak "$dir" --target java --outdir "$out" --maven-local-repository "$M2" --no-fingerprint \
    --mvn-define=maven.javadoc.skip=true \
    || { rm -rf "$out"; fail "jsii-pacmak could not build the Java binding of $name@$version"; }
  built="$out/java/${group//.//}/$artifact/$version"
  [ -f "$built/$artifact-$version.jar" ] || { rm -rf "$out"; fail "jsii-pacmak built no $artifact-$version.jar for $name"; }
  install_args=("-Dfile=$built/$artifact-$version.jar" "-DpomFile=$built/$artifact-$version.pom")
  [ -f "$built/$artifact-$version-sources.jar" ] && install_args+=("-Dsources=$built/$artifact-$version-sources.jar")
  "${MVN[@]}" install:install-file "${install_args[@]}"
  rm -rf "$out"
  echo "java-deps: $coords: built and installed into $M2 in $((SECONDS - start)) s"
done
