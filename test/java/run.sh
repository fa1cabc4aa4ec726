#!/usr/bin/env bash
# The Java consumer test: examples/java (a plain Maven project) against the freshly built jar in
# dist/java, with the aws-cdk-lib and constructs versions the TypeScript side builds with.
#
#   npx projen package:java && bash test/java/run.sh
#
# 1. installs dist/java's jar into the cached Maven repository (replacing any older build of it);
# 2. `mvn test`: compiles the example and runs its JUnit tests (an invalid prop's exact message);
# 3. synthesizes examples/java and examples/typescript with the CDK CLI and requires the two
#    templates to be equal as parsed JSON (test/consumers/compare_templates.py);
# 4. the same for the multi-Region example (MultiRegionApp against examples/typescript/multi-region.ts):
#    its three templates, PaymentApiEu, PaymentApiUs and PaymentApiGlobal.
set -euo pipefail
# ROOT (the working directory), the cache folder's variables, fail and cdk_synth_quiet.
. "$(dirname "${BASH_SOURCE[0]}")/../lib/prelude.sh"
command -v java >/dev/null || fail "no 'java' on PATH: install a JDK 17 or newer (Debian: apt-get install openjdk-17-jdk-headless)"
command -v mvn >/dev/null || fail "no 'mvn' on PATH: install Apache Maven 3.8 or newer (Debian: apt-get install maven)"

VERSION="$(node -p "require('./package.json').version")"
GROUP_PATH="io/github/multi-az-failover-service/multi-az-failover-service"
BUILT="dist/java/$GROUP_PATH/$VERSION"
JAR="$BUILT/multi-az-failover-service-$VERSION.jar"
[ -f "$JAR" ] || fail "no $JAR; build it first: npx projen compile && npx projen package:java"
[ "$JAR" -nt .jsii ] || fail "$JAR is older than .jsii; rebuild it: npx projen package:java"

CDK_VERSION="$(node -p "require('./node_modules/aws-cdk-lib/package.json').version")"
CONSTRUCTS_VERSION="$(node -p "require('./node_modules/constructs/package.json').version")"
MVN=(mvn --batch-mode --quiet "-Dmaven.repo.local=$MAFS_M2")

# --- 1. The jar from dist/java, as a user installs it before the first release ---------------
rm -rf "${MAFS_M2:?}/$GROUP_PATH/$VERSION"
"${MVN[@]}" install:install-file "-Dfile=$JAR" "-DpomFile=$BUILT/multi-az-failover-service-$VERSION.pom"
echo "Installed $(basename "$JAR") into $MAFS_M2 (${SECONDS}s)"

# --- 2. Compile and run the JUnit tests; write the runtime classpath -------------------------
rm -rf examples/java/target
mvn --batch-mode "-Dmaven.repo.local=$MAFS_M2" -f examples/java/pom.xml \
  "-Dmulti-az-failover-service.version=$VERSION" "-Daws-cdk-lib.version=$CDK_VERSION" "-Dconstructs.version=$CONSTRUCTS_VERSION" \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime \
  --no-transfer-progress test dependency:build-classpath \
  | grep -E '^\[(ERROR|WARNING)\]|Tests run:|BUILD' || true
[ -f examples/java/target/classpath.txt ] || fail "mvn test failed (see above)"
echo "Built examples/java and ran its tests (${SECONDS}s)"

# --- 3. Both examples through the CDK CLI, the templates compared --------------------------
OUT="$ROOT/examples/java/target/synth"
mkdir -p "$OUT"
typescript_example_synth "$OUT"
CLASSPATH_ARG="examples/java/target/classes:$(cat examples/java/target/classpath.txt)"
cdk_synth_quiet "$OUT" java --app "java -cp $CLASSPATH_ARG com.example.payments.PaymentApiApp"
python3 test/consumers/compare_templates.py "$OUT/typescript" "$OUT/java" java
echo "Compared the single-Region example (${SECONDS}s)"

# --- 4. The multi-Region example: three stacks, each compared --------------------------------
compare_multi_region_twin "$OUT" java "java -cp $CLASSPATH_ARG com.example.payments.MultiRegionApp"
echo "test/java/run.sh: passed (${SECONDS}s)"
