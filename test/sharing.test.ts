// Two services in one stack sharing one VPC, KMS key, access-log bucket, alarm topic and web ACL
// (README, "Two services in one stack"). Without sharing, each service creates its own.
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { MultiAzFailoverService, MultiAzFailoverServiceProps, SharedResources, WebAclOption } from '../src';
import { importedZone, newStack } from './util';

const ZONES = ['eu-west-1a', 'eu-west-1b'];

/**
 * Two services, `PaymentApi` (api.) and `RefundApi` (refunds.), with the given extra props (and
 * `refundsOnly` for the second).
 */
function twoServices(
  extra: (stack: Stack) => Partial<MultiAzFailoverServiceProps>,
  refundsOnly: Partial<MultiAzFailoverServiceProps> = {},
) {
  const stack = newStack();
  const hostedZone = importedZone(stack);
  const props = extra(stack);
  const payments = new MultiAzFailoverService(stack, 'PaymentApi', {
    hostedZone,
    recordName: 'api',
    availabilityZones: ZONES,
    ...props,
  });
  const refunds = new MultiAzFailoverService(stack, 'RefundApi', {
    hostedZone,
    recordName: 'refunds',
    availabilityZones: ZONES,
    ...props,
    ...refundsOnly,
  });
  return { stack, payments, refunds, template: Template.fromStack(stack) };
}

/** The props that make a service use the shared resources instead of creating its own. */
function sharedProps(stack: Stack): Partial<MultiAzFailoverServiceProps> {
  const shared = new SharedResources(stack, 'Shared', {
    availabilityZones: ZONES,
    notificationEmails: ['payments-oncall@example.com'],
  });
  return {
    vpc: shared.vpc,
    encryptionKey: shared.encryptionKey,
    logsEncryptionKey: shared.logsEncryptionKey,
    sessionLogs: shared.sessionLogs,
    accessLogsBucket: shared.accessLogsBucket,
    alarmTopic: shared.alarmTopic,
    webAcl: WebAclOption.fromWebAclArn(shared.webAclArn!),
  };
}

// One of each shared resource with sharing, two without. The buckets are the access-log bucket and
// the bucket of its S3 server access logs.
const SHARED_TYPES: Array<[string, number]> = [
  ['AWS::EC2::VPC', 1],
  // the VPC endpoints of the one VPC (no NAT gateway with the default EgressMode.ENDPOINTS_ONLY)
  ['AWS::EC2::VPCEndpoint', 7],
  // the data key and the logs key
  ['AWS::KMS::Key', 2],
  ['AWS::S3::Bucket', 2],
  ['AWS::SNS::Topic', 1],
  ['AWS::SNS::Subscription', 1],
  ['AWS::WAFv2::WebACL', 1],
  ['AWS::WAFv2::LoggingConfiguration', 1],
];

describe('two services sharing SharedResources', () => {
  let stack: Stack;
  let template: Template;
  let payments: MultiAzFailoverService;
  let refunds: MultiAzFailoverService;
  beforeAll(() => {
    // GIVEN / WHEN
    ({ stack, template, payments, refunds } = twoServices(sharedProps));
  });

  test.each(SHARED_TYPES)('the stack has one set of shared resources: %s x %d', (type, count) => {
    // THEN
    template.resourceCountIs(type, count);
  });

  test('each service still has its own two tiers, certificate and DNS records', () => {
    // THEN
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 4);
    template.resourceCountIs('AWS::CertificateManager::Certificate', 2);
    template.resourceCountIs('AWS::Route53::RecordSet', 4);
    // per service: HTTPS and capacity per tier, the primary's calculated routing check, end to end
    template.resourceCountIs('AWS::Route53::HealthCheck', 12);
  });

  test('both services expose the same shared resources', () => {
    // THEN
    expect(payments.vpc).toBe(refunds.vpc);
    expect(payments.encryptionKey).toBe(refunds.encryptionKey);
    expect(payments.accessLogsBucket).toBe(refunds.accessLogsBucket);
    expect(payments.alarmTopic).toBe(refunds.alarmTopic);
    expect(stack.resolve(payments.webAclArn)).toEqual(stack.resolve(refunds.webAclArn));
  });

  test('all four load balancers are associated with the one web ACL', () => {
    // THEN
    const webAcl = Object.keys(template.findResources('AWS::WAFv2::WebACL'))[0];
    const associations = Object.values(template.findResources('AWS::WAFv2::WebACLAssociation'));
    expect(associations).toHaveLength(4);
    for (const association of associations) {
      expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [webAcl, 'Arn'] });
    }
  });

  // The prefix is the tier's (`primary/`, `secondary/`), not the service's: both services' logs share
  // the two prefixes, told apart by the load balancer's name in each log file's name (README).
  test('all four load balancers log to the one bucket, under the prefix of their tier', () => {
    // THEN
    const logBucket = Object.keys(
      template.findResources('AWS::S3::Bucket', {
        Properties: { LoggingConfiguration: Match.anyValue() },
      }),
    );
    expect(logBucket).toHaveLength(1);
    const prefixes = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer')).map((lb) => {
      const attributes: Array<{ Key: string; Value: unknown }> = lb.Properties.LoadBalancerAttributes;
      expect(attributes).toContainEqual({ Key: 'access_logs.s3.bucket', Value: { Ref: logBucket[0] } });
      return attributes.find((a) => a.Key === 'access_logs.s3.prefix')?.Value;
    });
    expect(prefixes.sort()).toEqual(['primary', 'primary', 'secondary', 'secondary']);
  });

  test('every alarm of both services notifies the one topic', () => {
    // THEN
    const topic = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
    }
  });

  test('synthesizes without errors', () => {
    // THEN
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
  });

  // The account has one set of Session Manager preferences per region (the SSM-SessionManagerRunShell
  // document): both services' instances log their sessions to the one log group it names.
  test('one Session Manager preferences document, whose log group every instance may write to', () => {
    // THEN
    // (Each service also has its own zonal shift runbook, an Automation document.)
    expect(
      Object.keys(template.findResources('AWS::SSM::Document', { Properties: { DocumentType: 'Session' } })),
    ).toHaveLength(1);
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).filter((policy) =>
      JSON.stringify(policy).includes('"SharedSessionLogs'),
    );
    expect(policies).toHaveLength(4);
  });
});

describe('two services without sharing', () => {
  let template: Template;
  beforeAll(() => {
    // GIVEN / WHEN
    // The second service leaves the account's Session Manager preferences to the first.
    ({ template } = twoServices(() => ({}), { sessionLogging: false }));
  });

  test.each(SHARED_TYPES.filter(([type]) => type !== 'AWS::SNS::Subscription'))(
    'the stack has two of each: %s x 2 x %d',
    (type, count) => {
      // THEN
      template.resourceCountIs(type, 2 * count);
    },
  );
});
