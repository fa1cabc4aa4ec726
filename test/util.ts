import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { FailoverBudget, FailoverPriority, FailoverTier, FailoverTierProps, IRegionalService } from '../src';

/** The region of every test stack. */
export const REGION = 'eu-west-1';

/** The Availability Zones of the imported test VPC. */
export const AZS = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

/** The hosted zone every test imports. */
export const ZONE_ID = 'Z0123456789EXAMPLEABC';
export const ZONE_NAME = 'payments.example.com';

/** The certificate the test tiers import. */
export const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666';

/**
 * A primary tier (three zones) over the imported test VPC with its required dependencies (the
 * certificate, a key, a bucket and the host log group `HostLogs`); `props` may override any of them.
 */
export function newTier(
  props: (stack: Stack) => Partial<FailoverTierProps> = () => ({}),
  stack: Stack = newStack(),
): { stack: Stack; tier: FailoverTier; template: Template } {
  const tier = buildTier(props, stack);
  return { stack, tier, template: Template.fromStack(stack) };
}

/** {@link newTier} without the synthesis: the test may still add to the tier. */
export function buildTier(
  props: (stack: Stack) => Partial<FailoverTierProps> = () => ({}),
  stack: Stack = newStack(),
): FailoverTier {
  return new FailoverTier(stack, 'Tier', {
    priority: FailoverPriority.PRIMARY,
    vpc: importedVpc(stack),
    availabilityZones: AZS,
    certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN),
    encryptionKey: new kms.Key(stack, 'Key'),
    accessLogsBucket: new s3.Bucket(stack, 'Bucket'),
    hostLogGroup: new logs.LogGroup(stack, 'HostLogs'),
    ...props(stack),
  });
}

/** A stack with an explicit region, in a new app. */
export function newStack(id = 'TestStack'): Stack {
  return new Stack(new App(), id, { env: { region: REGION } });
}

/** The test hosted zone, imported by attributes (no lookup). Creates the child `Zone`. */
export function importedZone(scope: Stack): route53.IHostedZone {
  return route53.HostedZone.fromHostedZoneAttributes(scope, 'Zone', { hostedZoneId: ZONE_ID, zoneName: ZONE_NAME });
}

/** The id of the public subnet in a zone: `eu-west-1b` gives `subnet-0000000000000b001`. */
export function publicSubnetId(az: string): string {
  return `subnet-0000000000000${az.slice(-1)}001`;
}

/** The id of the private subnet in a zone: `eu-west-1b` gives `subnet-0000000000000b002`. */
export function privateSubnetId(az: string): string {
  return `subnet-0000000000000${az.slice(-1)}002`;
}

/**
 * A VPC imported by attributes (no lookup) with one public and one private subnet in each of
 * `availabilityZones`, whose ids come from {@link publicSubnetId} and {@link privateSubnetId}.
 * Creates the child `Vpc`.
 */
export function importedVpc(scope: Stack, availabilityZones: string[] = AZS): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(scope, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones,
    publicSubnetIds: availabilityZones.map(publicSubnetId),
    privateSubnetIds: availabilityZones.map(privateSubnetId),
    publicSubnetRouteTableIds: availabilityZones.map((az) => `rtb-0000000000000${az.slice(-1)}001`),
    privateSubnetRouteTableIds: availabilityZones.map((az) => `rtb-0000000000000${az.slice(-1)}002`),
  });
}

/** The logical id of a construct's CloudFormation resource. */
export function logicalIdOf(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

/**
 * The user data of the only launch template, as text: `Fn::Join` and `Fn::Base64` (the parts of a
 * multipart document are base64-encoded in it) are undone, and any other token is shown as its
 * JSON (`{"Ref":"HostLogs..."}`).
 */
export function userDataText(template: Template): string {
  const templates = Object.values(template.findResources('AWS::EC2::LaunchTemplate'));
  return renderText(templates[0].Properties.LaunchTemplateData.UserData);
}

/** The user data of one launch template resource (from `Template.toJSON()`), as {@link userDataText} renders it. */
export function launchTemplateUserDataText(launchTemplate: any): string {
  return renderText(launchTemplate.Properties.LaunchTemplateData.UserData);
}

function renderText(node: any): string {
  if (typeof node === 'string') {
    return node;
  }
  if (node['Fn::Base64'] !== undefined) {
    return renderText(node['Fn::Base64']);
  }
  if (node['Fn::Join'] !== undefined) {
    return (node['Fn::Join'][1] as unknown[]).map(renderText).join(node['Fn::Join'][0]);
  }
  return JSON.stringify(node);
}

/**
 * A hand-built Regional service (what `GlobalFailover` takes besides a `MultiAzFailoverService`) in
 * its own stack and Region: an imported load balancer, records named `pay-<region>` in the test
 * zone, accepting `api.<zone>`, with a budget of 100 s (a target group step of 40 s, 60 s of DNS).
 */
export function handBuiltRegionalService(
  app: App,
  id: string,
  region: string,
  overrides: Partial<IRegionalService> = {},
): IRegionalService {
  const stack = new Stack(app, id, { env: { account: '111122223333', region } });
  const lb = elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(stack, 'Lb', {
    loadBalancerArn: `arn:aws:elasticloadbalancing:${region}:${'111122223333'}:loadbalancer/app/pay/0123456789abcdef`,
    securityGroupId: 'sg-0123456789abcdef0',
  });
  const step = (name: string, seconds: number) => ({
    name,
    bestCaseSeconds: 0,
    worstCaseSeconds: seconds,
    rule: 'test',
    source: 'https://example.com',
  });
  const path = {
    name: 'Path',
    detectionSteps: [step('Target group health checks', 40)],
    dnsSteps: [step('Resolver cache', 60)],
    bestCaseDetectionSeconds: 0,
    worstCaseDetectionSeconds: 40,
    bestCaseDnsSeconds: 0,
    worstCaseDnsSeconds: 60,
    bestCaseSeconds: 0,
    worstCaseSeconds: 100,
  };
  const failoverBudget: FailoverBudget = {
    httpsCheck: path,
    capacityAlarm: path,
    recordTtlSeconds: 60,
    assumptions: [],
    bestCaseSeconds: 0,
    worstCaseSeconds: 100,
  };
  return {
    region,
    hostedZone: importedZone(stack),
    domainName: `pay-${region}.${ZONE_NAME}`,
    recordType: route53.RecordType.A,
    loadBalancers: [lb],
    globalDomainName: `api.${ZONE_NAME}`,
    failoverBudget,
    ...overrides,
  };
}
