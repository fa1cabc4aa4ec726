import { Annotations, Duration, Fn, Stack, Tags, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { FailoverDns } from './failover-dns';
import { FailoverPriority, FailoverTier, FailoverTierProps, TierOptions } from './failover-tier';
import {
  show,
  validateAvailabilityZones,
  validateConcrete,
  validateDays,
  validateEmails,
  validateHealthCheckPath,
  validateInteger,
  validatePercent,
  validatePositiveDuration,
  validateRecordName,
  validateRetentionWithoutBucket,
  validateRootVolumeSize,
  validateSeconds,
  validateTagValue,
  validateVpcHasZones,
} from './private/validate';
import { SharedResources } from './shared-resources';
import { WebAclOption } from './web-acl-option';

/**
 * Properties for {@link MultiAzFailoverService}. The {@link TierOptions} apply to both tiers.
 */
export interface MultiAzFailoverServiceProps extends TierOptions {
  /**
   * The public hosted zone for the failover records (and the certificate's DNS validation).
   * Import it with `HostedZone.fromHostedZoneAttributes`.
   */
  readonly hostedZone: route53.IHostedZone;

  /**
   * The record name relative to the zone: clients call `recordName.zoneName`.
   *
   * @default 'api'
   */
  readonly recordName?: string;

  /**
   * The certificate of both HTTPS listeners. It must cover `recordName.zoneName`.
   *
   * @default - a new ACM certificate for `recordName.zoneName`, DNS-validated in `hostedZone`
   */
  readonly certificate?: acm.ICertificate;

  /**
   * The VPC. It needs public subnets (load balancers) and private subnets with egress
   * (instances) in every chosen Availability Zone.
   *
   * @default - a new VPC over the chosen Availability Zones with public and private subnets,
   * one NAT gateway per zone and flow logs kept one year
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The Availability Zones to run in: 2 to 6 distinct zones of the stack's region. Each tier
   * has one Auto Scaling group per zone, and the new VPC one public and one private subnet per
   * zone, all keyed by the zone's name: adding, removing or replacing a zone changes only that
   * zone's resources. Set it: the default can drift (see the README).
   *
   * @default - with `vpc`, its first three zones (a VPC created without `availabilityZones` in a
   * stack without a concrete account has two, as tokens). With a new VPC, the stack's first three
   * zones from the CDK context when the stack has a concrete account and region; otherwise
   * `Fn::GetAZs` indexes 0 to 2, resolved at deploy time, with a synth warning
   */
  readonly availabilityZones?: string[];

  /**
   * Instances per Availability Zone in the primary tier (minimum = maximum = desired). 1 to 100.
   *
   * @default 2
   */
  readonly instancesPerAz?: number;

  /**
   * Instances per Availability Zone in the secondary tier. At least 1: a target group without
   * healthy targets makes the secondary alias unhealthy and failover impossible.
   *
   * @default - the same as `instancesPerAz`
   */
  readonly secondaryInstancesPerAz?: number;

  /**
   * Email addresses subscribed to the alarm topic (each must confirm the subscription).
   *
   * @default - no email subscription
   */
  readonly notificationEmails?: string[];

  /**
   * The SNS topic for alarms and Auto Scaling notifications.
   *
   * @default - a new topic encrypted with `encryptionKey`
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The customer-managed KMS key for root volumes, the alarm topic and the flow-log and WAF log groups.
   * A key you pass must already allow the Auto Scaling service-linked role, CloudWatch and
   * CloudWatch Logs (see the README); the construct can only add those statements to a key
   * defined in the same app.
   *
   * @default - a new key with rotation and an alias
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The bucket for both load balancers' access logs (SSE-S3: ALB access logging supports no
   * other encryption).
   *
   * @default - a new bucket: SSE-S3, SSL only, versioned, public access blocked, server access
   * logging, objects kept `accessLogRetention`
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * How long the new access-log bucket keeps logs: in S3 Standard for 30 days, Standard-IA until
   * day 90, then Glacier Flexible Retrieval. A whole number of days from 1 to 3650. Not allowed
   * together with `accessLogsBucket`, whose lifecycle is yours.
   *
   * @default Duration.days(365)
   */
  readonly accessLogRetention?: Duration;

  /**
   * The AWS WAF web ACL of both load balancers.
   *
   * @default WebAclOption.managedRules()
   */
  readonly webAcl?: WebAclOption;

  /**
   * The value of the `Environment` tag on every resource.
   *
   * @default 'dev'
   */
  readonly environment?: string;

  /**
   * The value of the `CostCenter` tag on every resource.
   *
   * @default 'payments'
   */
  readonly costCenter?: string;
}

/**
 * A payment-grade HTTPS API that survives the loss of an instance, an Availability Zone or a
 * whole load-balancer tier: two complete tiers (primary and secondary), each an internet-facing
 * Application Load Balancer over one Auto Scaling group per Availability Zone, behind Route 53
 * failover records that send traffic to the primary while its HTTPS health check passes.
 *
 * Shared by both tiers: a KMS key, the access-log bucket, the alarm topic, the VPC, the
 * certificate and the AWS WAF web ACL.
 */
export class MultiAzFailoverService extends Construct {
  /** The tier that receives traffic while it is healthy. */
  public readonly primary: FailoverTier;
  /** The tier that receives traffic while the primary is unhealthy. */
  public readonly secondary: FailoverTier;
  /** The failover records. */
  public readonly dns: FailoverDns;
  /** The name clients call: `recordName.zoneName`. */
  public readonly domainName: string;
  /** The customer-managed key of volumes, topic and flow logs. */
  public readonly encryptionKey: kms.IKey;
  /** The bucket holding both load balancers' access logs. */
  public readonly accessLogsBucket: s3.IBucket;
  /** The topic of alarms and Auto Scaling notifications. */
  public readonly alarmTopic: sns.ITopic;
  /** The VPC both tiers run in. */
  public readonly vpc: ec2.IVpc;
  /** The certificate of both HTTPS listeners. */
  public readonly certificate: acm.ICertificate;
  /** The Availability Zones both tiers run in. */
  public readonly availabilityZones: string[];
  /**
   * The ARN of the web ACL associated with both load balancers.
   *
   * @default - no web ACL (`WebAclOption.none()`)
   */
  public readonly webAclArn?: string;

  public constructor(scope: Construct, id: string, props: MultiAzFailoverServiceProps) {
    super(scope, id);
    validateProps(this, props);

    this.availabilityZones = props.availabilityZones ?? this.defaultAvailabilityZones(props.vpc);
    if (props.vpc) {
      validateAvailabilityZones('availabilityZones', this.availabilityZones, Stack.of(this).region);
      validateVpcHasZones('availabilityZones', props.vpc, this.availabilityZones);
    }

    const shared = new SharedResources(this, 'Shared', {
      vpc: props.vpc,
      availabilityZones: this.availabilityZones,
      encryptionKey: props.encryptionKey,
      accessLogsBucket: props.accessLogsBucket,
      accessLogRetention: props.accessLogRetention,
      alarmTopic: props.alarmTopic,
      notificationEmails: props.notificationEmails,
      webAcl: props.webAcl,
    });
    this.vpc = shared.vpc;
    this.encryptionKey = shared.encryptionKey;
    this.accessLogsBucket = shared.accessLogsBucket;
    this.alarmTopic = shared.alarmTopic;
    this.webAclArn = shared.webAclArn;

    const recordName = props.recordName ?? 'api';
    this.domainName = `${recordName}.${props.hostedZone.zoneName}`;
    this.certificate =
      props.certificate ??
      new acm.Certificate(this, 'Certificate', {
        domainName: this.domainName,
        validation: acm.CertificateValidation.fromDns(props.hostedZone),
      });

    const tierProps: Omit<FailoverTierProps, 'priority' | 'instancesPerAz'> = {
      vpc: this.vpc,
      availabilityZones: this.availabilityZones,
      certificate: this.certificate,
      encryptionKey: this.encryptionKey,
      accessLogsBucket: this.accessLogsBucket,
      alarmTopic: this.alarmTopic,
      instanceType: props.instanceType,
      machineImage: props.machineImage,
      userData: props.userData,
      rootVolumeSize: props.rootVolumeSize,
      deregistrationDelay: props.deregistrationDelay,
      healthCheckPath: props.healthCheckPath,
      unhealthyHostThresholdPercent: props.unhealthyHostThresholdPercent,
      latencyThreshold: props.latencyThreshold,
      healthCheckSearchString: props.healthCheckSearchString,
      sslPolicy: props.sslPolicy,
      deletionProtection: props.deletionProtection,
      webAclArn: this.webAclArn,
    };
    this.primary = new FailoverTier(this, 'Primary', {
      ...tierProps,
      priority: FailoverPriority.PRIMARY,
      instancesPerAz: props.instancesPerAz,
    });
    this.secondary = new FailoverTier(this, 'Secondary', {
      ...tierProps,
      priority: FailoverPriority.SECONDARY,
      instancesPerAz: props.secondaryInstancesPerAz ?? props.instancesPerAz,
    });

    this.dns = new FailoverDns(this, 'Dns', {
      hostedZone: props.hostedZone,
      recordName,
      primary: this.primary,
      secondary: this.secondary,
    });

    Tags.of(this).add('Environment', props.environment ?? 'dev');
    Tags.of(this).add('CostCenter', props.costCenter ?? 'payments');
  }

  /**
   * The zones when `availabilityZones` is not given: the VPC's first three; for a new VPC,
   * the first three of the stack's zones from the CDK context (stable: the CDK CLI looks them
   * up once and caches them in cdk.context.json) when account and region are concrete, and
   * otherwise `Fn::GetAZs` indexes 0 to 2, resolved at every deploy, with a warning: that list
   * can change when AWS adds zones to the account, and those zones are keyed by position.
   */
  private defaultAvailabilityZones(vpc: ec2.IVpc | undefined): string[] {
    if (vpc) {
      return vpc.availabilityZones.slice(0, 3);
    }
    const stack = Stack.of(this);
    if (!Token.isUnresolved(stack.account) && !Token.isUnresolved(stack.region)) {
      return stack.availabilityZones.slice(0, 3);
    }
    Annotations.of(this).addWarningV2(
      'multi-az-failover-service:defaultAvailabilityZones',
      'No `availabilityZones`: the zones are Fn::GetAZs indexes 0 to 2, resolved at every deploy. That list can change ' +
        'when AWS adds a zone, and then a deploy without any code change moves subnets and fails. Set ' +
        '`availabilityZones` (for example ["eu-west-1a", "eu-west-1b", "eu-west-1c"]), or give the stack a concrete ' +
        'account so that the zones come from the cached CDK context. See the README on migrating an existing stack.',
    );
    return [0, 1, 2].map((i) => Fn.select(i, Fn.getAzs()));
  }
}

/** Checks every prop before anything is created, so that messages name this construct's props. */
function validateProps(scope: Construct, props: MultiAzFailoverServiceProps): void {
  const region = Stack.of(scope).region;
  if (Token.isUnresolved(region)) {
    throw new Error(
      '`MultiAzFailoverService` needs a stack with a concrete `env.region` (ALB access logging names the ' +
        "region's load-balancing account in the bucket policy), got: an unresolved region token",
    );
  }
  validateRecordName('recordName', props.recordName ?? 'api', props.hostedZone.zoneName);
  if (props.availabilityZones !== undefined) {
    validateAvailabilityZones('availabilityZones', props.availabilityZones, region);
  }
  validateConcrete('instancesPerAz', props.instancesPerAz, 'the unhealthy-host alarm threshold');
  validateConcrete('secondaryInstancesPerAz', props.secondaryInstancesPerAz, 'the unhealthy-host alarm threshold');
  validateConcrete(
    'unhealthyHostThresholdPercent',
    props.unhealthyHostThresholdPercent,
    'the unhealthy-host alarm threshold',
  );
  validateConcrete('accessLogRetention', props.accessLogRetention, 'the lifecycle transitions');
  validateInteger('instancesPerAz', props.instancesPerAz, 1, 100);
  validateInteger('secondaryInstancesPerAz', props.secondaryInstancesPerAz, 1, 100);
  validateSeconds('deregistrationDelay', props.deregistrationDelay, 0, 3600);
  validateHealthCheckPath('healthCheckPath', props.healthCheckPath);
  validatePercent('unhealthyHostThresholdPercent', props.unhealthyHostThresholdPercent);
  validatePositiveDuration('latencyThreshold', props.latencyThreshold, 3600);
  validateRootVolumeSize('rootVolumeSize', props.rootVolumeSize);
  validateDays('accessLogRetention', props.accessLogRetention, 1, 3650);
  validateRetentionWithoutBucket(props.accessLogRetention, props.accessLogsBucket);
  validateEmails('notificationEmails', props.notificationEmails);
  validateTagValue('environment', props.environment);
  validateTagValue('costCenter', props.costCenter);
  if (props.vpc !== undefined && props.vpc.availabilityZones.length < 2 && props.availabilityZones === undefined) {
    throw new Error(`\`vpc\` must span at least 2 Availability Zones, got: ${show(props.vpc.availabilityZones)}`);
  }
}
