/**
 * Runs before every test file (jest `setupFiles`, `.projenrc.ts`).
 *
 * Every test synthesizes dozens of apps. Two things aws-cdk-lib does on each synthesis check nothing
 * the tests assert; turning them off took the suites from about 300 s to about 100 s on a 2-core
 * machine (`--cpu-prof` over two files first showed them at a third of the CPU time, and jest's
 * source maps made the stack traces dearer still):
 * - its built-in CloudFormation template validation (`CDK_VALIDATION`): it only reports warnings
 *   unless an app opts into errors, and compiles its WebAssembly engine once per test file.
 *   `test/properties.test.ts` turns it back on and makes its findings errors, over every generated
 *   case; `lint:cfn` runs cfn-lint over the example and the compliance templates.
 * - a creation stack trace per CloudFormation resource (the `aws:cdk:disable-creation-stack-traces`
 *   context, passed to every `App` through `CDK_CONTEXT_JSON`): they only go into the cloud
 *   assembly's metadata, never into a template, and jest's source maps make each one costly.
 */
process.env.CDK_VALIDATION = 'false';
process.env.CDK_CONTEXT_JSON = JSON.stringify({ 'aws:cdk:disable-creation-stack-traces': true });
