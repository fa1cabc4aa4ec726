/**
 * Integration test for maintainers with an AWS account, run by integ-runner (README, "Integration test").
 *
 * - `npx projen integ` (part of `npx projen build`) synthesizes this app offline and fails when the
 *   templates differ from the committed snapshot `test/integ.failover.ts.snapshot/`.
 * - `npx projen integ:update` deploys it, runs the assertions below in AWS, destroys it and refreshes
 *   the snapshot. Set `INTEG_HOSTED_ZONE_ID` and `INTEG_ZONE_NAME` to a public hosted zone of the account.
 * - `npx projen integ:snapshot` refreshes the snapshot without deploying (unverified until deployed).
 *
 * The assertions run only on a real deployment: the offline check compares templates only.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ExpectedResult, IApiCall, IntegTest, Match, WaiterStateMachineOptions } from '@aws-cdk/integ-tests-alpha';
import { App, Aws, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { FailoverTier, MultiAzFailoverService } from '../src';

const DEFAULT_REGION = 'eu-west-1';

// integ-runner synthesizes the snapshot with placeholder variables (CDK_INTEG_REGION=test-region,
// CDK_INTEG_ACCOUNT=12345678) and deploys with the real CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION of
// `--parallel-regions`. A snapshot synthesis ignores the machine's variables, so that the committed
// snapshot is the same whoever refreshes it, even right after a deployment to a real zone.
// (`test-region` is no region: its zone names would fail the construct's Availability Zone check.)
const snapshotSynthesis = process.env.CDK_INTEG_REGION === 'test-region';

/** The variable `name` of a deployment, or `placeholder` in the snapshot and when it is not set. */
function setting(name: string, placeholder: string): string {
  return (!snapshotSynthesis && process.env[name]) || placeholder;
}

const region = snapshotSynthesis
  ? DEFAULT_REGION
  : (process.env.CDK_INTEG_REGION ?? process.env.CDK_DEFAULT_REGION ?? DEFAULT_REGION);
const account = snapshotSynthesis ? undefined : process.env.CDK_DEFAULT_ACCOUNT;

const app = new App({
  // No stack traces in the snapshot's metadata: they hold this machine's absolute paths.
  stackTraces: false,
  context: { 'aws:cdk:disable-creation-stack-traces': true },
  // aws-cdk-lib's built-in template validation makes each synthesis about 4 times slower; the unit
  // tests and `lint:cfn` validate the construct's templates.
  builtinCloudFormationValidation: false,
});
const stack = new Stack(app, 'FailoverIntegStack', { env: { account, region } });

// When deployed: a public hosted zone of the account, delegated so that it resolves on the internet
// (the certificate's DNS validation and the HTTPS assertion need that; TestDNSAnswer needs a public zone).
const hostedZone = route53.PublicHostedZone.fromPublicHostedZoneAttributes(stack, 'Zone', {
  hostedZoneId: setting('INTEG_HOSTED_ZONE_ID', 'Z0123456789EXAMPLEABC'),
  zoneName: setting('INTEG_ZONE_NAME', 'payments.example.com'),
});

// Two zones and one instance per zone and tier: four instances in total, the cheapest layout the
// construct accepts. No deletion protection, so that integ-runner can destroy the stack.
const service = new MultiAzFailoverService(stack, 'Service', {
  hostedZone,
  availabilityZones: [`${region}a`, `${region}b`],
  instancesPerAz: 1,
  deletionProtection: false,
});

// A test-only subscriber of the alarm topic. The filter lets through only the ALARM notifications of
// the alarm that the test sets, not the Auto Scaling notifications or the other alarms of the topic.
// https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering.html (filtering on the message body)
const alarmedAlarm = service.primary.alarms.latencyAlarm;
// SQS-managed encryption: SNS can deliver to it without a key policy.
const alarmQueue = new sqs.Queue(stack, 'AlarmNotifications', { encryption: sqs.QueueEncryption.SQS_MANAGED });
service.alarmTopic.addSubscription(
  new subscriptions.SqsSubscription(alarmQueue, {
    filterPolicyWithMessageBody: {
      AlarmName: sns.FilterOrPolicy.filter(
        sns.SubscriptionFilter.stringFilter({ allowlist: [alarmedAlarm.alarmName] }),
      ),
      NewStateValue: sns.FilterOrPolicy.filter(sns.SubscriptionFilter.stringFilter({ allowlist: ['ALARM'] })),
    },
  }),
);

const integ = new IntegTest(app, 'FailoverInteg', {
  testCases: [stack],
  // The assertions reference the test stack's resources: same account and region (no cross-environment references).
  assertionStack: new Stack(app, 'FailoverIntegAssertions', { env: { account, region } }),
  // The asset hashes (assertion handler bundle) change with integ-tests-alpha, not with this construct.
  diffAssets: false,
  // The update workflow would first deploy the committed snapshot, whose hosted zone is a placeholder.
  stackUpdateWorkflow: false,
  // No `regions`: integ-runner deploys in `--parallel-regions`, which `integ:update` sets from
  // CDK_INTEG_REGION (default eu-west-1), the same variable this app reads.
});

const fastPoll: WaiterStateMachineOptions = { interval: Duration.seconds(10), totalTimeout: Duration.minutes(5) };
// Right after the deployment the instances are still booting: Route 53 and the target groups need a
// few minutes to see them healthy (grace period, then three 10-second checks).
const bootPoll: WaiterStateMachineOptions = { interval: Duration.seconds(20), totalTimeout: Duration.minutes(15) };
// Route 53's part of the failover budget's HTTPS path (`service.failoverBudget.httpsCheck`: 156 s at
// worst at the defaults) is its detection, 36 s (three failed checks 10 s apart plus the last check's
// 6 s of timeouts), and its propagation to the name servers, assumed 60 s. The other 60 s are resolver
// caches, which TestDNSAnswer does not go through. Three minutes leave room for the
// waiter's own overhead and still fail a switch far slower than documented.
const failoverPoll: WaiterStateMachineOptions = { interval: Duration.seconds(10), totalTimeout: Duration.minutes(3) };

// ---------------------------------------------------------------------------------------------------
// (a) Alarm delivery: CloudWatch -> SNS topic (encrypted with the construct's key) -> subscriber.
// SetAlarmState sets the state for testing and runs the alarm's actions when the state changes; the
// next evaluation restores the real state.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html
integ.assertions
  .awsApiCall('CloudWatch', 'setAlarmState', {
    AlarmName: alarmedAlarm.alarmName,
    StateValue: 'ALARM',
    StateReason: 'integ-runner: testing alarm delivery to the alarm topic',
  })
  .next(
    // Long polling (WaitTimeSeconds 20) on the test queue. The message body is the SNS envelope whose
    // `Message` is the alarm notification JSON (AlarmName, NewStateValue...). One message per call keeps
    // the custom resource response under CloudFormation's 4 KB limit.
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
    integ.assertions
      .awsApiCall('SQS', 'receiveMessage', {
        QueueUrl: alarmQueue.queueUrl,
        MaxNumberOfMessages: 1,
        WaitTimeSeconds: 20,
      })
      .assertAtPath(
        'Messages.0.Body.Message',
        ExpectedResult.stringLikeRegexp(
          `^(?=.*"AlarmName":\\s*"${alarmedAlarm.alarmName}")(?=.*"NewStateValue":\\s*"ALARM")`,
        ),
      )
      .waitForAssertions(fastPoll),
  );

// ---------------------------------------------------------------------------------------------------
// (b) Failover and failback, and (c) HTTPS health of both load balancers.

/**
 * One public IP address of the tier's load balancer. Route 53 answers an alias record with the load
 * balancer's node addresses, which are the public IPs of the network interfaces that Elastic Load
 * Balancing creates with the description `ELB app/<name>/<id>` (the load balancer's full name, the ARN
 * after `loadbalancer/`). Comparing the answer with one address of each load balancer tells which
 * record Route 53 answered with, without resolving through a caching resolver.
 * https://repost.aws/knowledge-center/elb-find-load-balancer-IP
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkInterfaces.html
 * Limitation: a load balancer that scales out or replaces a node gets new addresses; on an idle test
 * stack this does not happen within the few minutes of the test.
 */
function loadBalancerAddress(tier: FailoverTier): string {
  const fullName = Fn.select(1, Fn.split('loadbalancer/', tier.loadBalancer.loadBalancerArn));
  return integ.assertions
    .awsApiCall('EC2', 'describeNetworkInterfaces', {
      Filters: [{ Name: 'description', Values: [Fn.join(' ', ['ELB', fullName])] }],
    })
    .getAttString('NetworkInterfaces.0.Association.PublicIp');
}

/**
 * Route 53's own answer for the record, without any resolver cache in between: it applies the failover
 * policy and the health checks. Passes once the answer contains `address`.
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_TestDNSAnswer.html
 */
function dnsAnswers(address: string, poll: WaiterStateMachineOptions): IApiCall {
  return integ.assertions
    .awsApiCall('Route53', 'testDNSAnswer', {
      HostedZoneId: hostedZone.hostedZoneId,
      RecordName: service.domainName,
      RecordType: 'A',
    })
    .expect(ExpectedResult.objectLike({ ResponseCode: 'NOERROR', RecordData: Match.arrayWith([address]) }))
    .waitForAssertions(poll);
}

/**
 * Inverting a health check makes Route 53 consider it unhealthy while the endpoint is healthy (and the
 * reverse): the same effect on DNS as a failing primary tier, without breaking anything.
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_UpdateHealthCheck.html (Inverted)
 */
function invertHealthCheck(tier: FailoverTier, inverted: boolean): IApiCall {
  return integ.assertions.awsApiCall('Route53', 'updateHealthCheck', {
    HealthCheckId: tier.healthCheck.healthCheckId,
    Inverted: inverted,
  });
}

/**
 * (c) The tier's load balancer answers the health path over HTTPS with 200, as seen by Route 53's
 * health checkers, which request `https://<load balancer DNS name><health path>` with SNI. An
 * `httpApiCall` to the load balancer's DNS name cannot do this: the listener's certificate is for the
 * record name, so the assertion Lambda's TLS client rejects the host name. The health checkers do not
 * fail on that name mismatch (they retry the handshake without SNI, see EnableSNI).
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetHealthCheckStatus.html
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html (Type HTTPS, EnableSNI)
 */
function healthCheckPasses(tier: FailoverTier): IApiCall {
  return integ.assertions
    .awsApiCall('Route53', 'getHealthCheckStatus', { HealthCheckId: tier.healthCheck.healthCheckId })
    .assertAtPath(
      'HealthCheckObservations.0.StatusReport.Status',
      ExpectedResult.stringLikeRegexp('^Success: HTTP Status Code 200'),
    )
    .waitForAssertions(bootPoll);
}

/**
 * (c) Clients get 200 from `https://<record name>/health` with a certificate valid for that name,
 * whichever tier the record points at. The Lambda's resolver may cache the previous answer for the
 * record's TTL, so this does not tell which tier answered; `dnsAnswers` does.
 */
function recordAnswersHttps(poll: WaiterStateMachineOptions): IApiCall {
  return integ.assertions
    .httpApiCall(`https://${service.domainName}/health`)
    .expect(ExpectedResult.objectLike({ status: 200 }))
    .waitForAssertions(poll);
}

const primaryAddress = loadBalancerAddress(service.primary);
const secondaryAddress = loadBalancerAddress(service.secondary);

// Both tiers healthy, traffic on the primary, HTTPS through the record name.
healthCheckPasses(service.primary)
  .next(healthCheckPasses(service.secondary))
  .next(dnsAnswers(primaryAddress, fastPoll))
  .next(recordAnswersHttps(fastPoll))
  // Failover: the primary is "unhealthy", Route 53 answers with the secondary within the documented
  // budget, and the record keeps answering HTTPS.
  .next(invertHealthCheck(service.primary, true))
  .next(dnsAnswers(secondaryAddress, failoverPoll))
  .next(recordAnswersHttps(fastPoll))
  // Failback: the primary is healthy again and Route 53 answers with it.
  .next(invertHealthCheck(service.primary, false))
  .next(dnsAnswers(primaryAddress, failoverPoll));

// ---------------------------------------------------------------------------------------------------
// (d) Access logs reach the Object Lock bucket. S3 refuses a PutObject to a bucket with a default
// Object Lock retention unless it carries Content-MD5 or x-amz-sdk-checksum-algorithm
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html), and the ELB access-log pages
// say nothing about Object Lock. Elastic Load Balancing writes `ELBAccessLogTestFile` under each
// load balancer's prefix when access logging is turned on
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html):
// it is there only if the log writer's PUTs are accepted. Unverified until this runs in AWS.
for (const tier of [service.primary, service.secondary]) {
  const key = `${tier.priority}/AWSLogs/${Aws.ACCOUNT_ID}/ELBAccessLogTestFile`;
  const headObject = integ.assertions.awsApiCall('S3', 'headObject', {
    Bucket: service.accessLogsBucket.bucketName,
    Key: key,
  });
  // HeadObject is authorized as s3:GetObject (there is no s3:HeadObject action).
  headObject.provider.addToRolePolicy({
    Effect: 'Allow',
    Action: ['s3:GetObject'],
    Resource: [service.accessLogsBucket.arnForObjects(key)],
  });
  // No expectation needed: a missing object makes HeadObject fail (404), and with it the assertion's
  // custom resource and the deployment.
}

// ---------------------------------------------------------------------------------------------------
// Compatibility with integ-runner 2.197.10, the newest on npm: its toolkit reads cloud assembly schema
// 53 and refuses a newer major version, while aws-cdk-lib 2.275.0 writes 55. Versions 54 and 55 only
// added optional fields (property-mutation and string tag metadata; `allowDeleteFailures` and a
// `destructive` enum value in the integ manifest) that this app does not write, so it labels its
// manifests with the version that the reading toolkit announces in CDK_CLI_ASM_VERSION. It does nothing
// once integ-runner reads schema 55, or when no toolkit runs the app.
const assembly = app.synth();
const readerVersion = process.env.CDK_CLI_ASM_VERSION;
const major = (version: string): number => Number(version.split('.')[0]);
if (readerVersion) {
  for (const file of fs
    .readdirSync(assembly.directory)
    .filter((name) => name.endsWith('.json') || name === 'cdk.out')) {
    const filePath = path.join(assembly.directory, file);
    const manifest = JSON.parse(fs.readFileSync(filePath, 'utf-8'));
    if (typeof manifest.version === 'string' && major(manifest.version) > major(readerVersion)) {
      manifest.version = readerVersion;
      fs.writeFileSync(filePath, JSON.stringify(manifest, undefined, 2));
    }
  }
}
