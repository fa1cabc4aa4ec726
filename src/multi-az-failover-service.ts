/*
 * MultiAzFailoverService, the L3 construct, and its props. It composes the parts (SharedResources,
 * the two FailoverTiers, FailoverDns, and unless turned off FailoverDashboard, FailoverDrills and a
 * WarmStandby secondary) and passes objects between them; it owns only what no part owns: the
 * region check, the certificate if it creates one, the secondary's capacity, the end-to-end
 * Route 53 alarms (us-east-1 only) and the tags. A tier's release (`TierRelease`) is in
 * tier-release.ts.
 */
import { Annotations, Duration, Fn, Stack, Tags, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { computeFailoverBudget, FailoverBudget, validateMaxFailoverTime } from './failover-budget';
import { FailoverDashboard } from './failover-dashboard';
import { FailoverDns } from './failover-dns';
import { DrillTemplate, FailoverDrills } from './failover-drills';
import { FailoverPriority, FailoverTier, FailoverTierProps, TierOptions } from './failover-tier';
import { HealthCheckAlarm } from './health-check-alarm';
import { ImageRefresh, ImageRefreshOptions } from './image-refresh';
import { OperatorMfa } from './operator-mfa';
import { httpsHealthCheck } from './private/https-health-check';
import { show, validateConcrete, validateInteger, validateSeconds, validateTagValue } from './private/validate';
import { IRegionalService } from './regional-service';
import { SessionLogDestination } from './session-log-destination';
import { SharedResources } from './shared-resources';
import { TierRelease } from './tier-release';
import { RegionMode, SecondaryMode, WarmStandby } from './warm-standby';
import { WebAclOption } from './web-acl-option';
import { ZonalShiftRunbook } from './zonal-shift-runbook';

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
   * The global name in front of this and other Regions' services ({@link GlobalFailover}), fully
   * qualified and in `hostedZone` (for example `api.pay.example.org` while this service's own
   * `recordName` is `api-eu-west-1`): the certificate the construct creates covers it too
   * (validated in `hostedZone`), and both listeners accept it as a host. It is one more value of
   * the listeners' `KnownHosts` rule (3 values a rule, see docs/MULTI-REGION.md).
   *
   * @default - the service answers only `recordName.zoneName`
   */
  readonly globalDomainName?: string;

  /**
   * The certificate of both HTTPS listeners. It must cover `recordName.zoneName` (and
   * `globalDomainName` when set).
   *
   * @default - a new ACM certificate for `recordName.zoneName`, DNS-validated in `hostedZone`
   */
  readonly certificate?: acm.ICertificate;

  /**
   * The VPC. It needs public subnets (load balancers) and private subnets with egress
   * (instances) in every chosen Availability Zone, and the way out that `egress` names: VPC
   * endpoints for `EgressMode.ENDPOINTS_ONLY` (the construct adds none to your VPC, and warns),
   * NAT for `EgressMode.INTERNET`.
   *
   * @default - a new VPC over the chosen Availability Zones with public and private subnets,
   * interface endpoints for ssm, ssmmessages, ec2messages, monitoring, logs, kms, sts and
   * cloudformation (the instances' release signals) and an
   * S3 gateway endpoint, one NAT gateway per zone only with `egress: EgressMode.INTERNET`, and
   * flow logs kept one year
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Interface endpoints your application calls, added to the VPC the construct creates beside the
   * ones the default hosts need (for example `InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING`
   * or `STS`; see `SharedResourcesProps.additionalEndpoints`). Refused with `vpc`.
   *
   * @default - none
   */
  readonly additionalEndpoints?: ec2.InterfaceVpcEndpointAwsService[];

  /**
   * Your application's S3 buckets that the instances may use through the S3 gateway endpoint of
   * the VPC the construct creates; every other bucket is refused there, except the AWS-owned ones
   * the hosts need (see `SharedResourcesProps.egressBuckets` and docs/NETWORK.md). Refused with `vpc`.
   *
   * @default - none: the instances reach only the AWS-owned buckets
   */
  readonly egressBuckets?: s3.IBucket[];

  /**
   * A Route 53 Resolver DNS Firewall on the VPC the construct creates that answers only the names
   * the hosts need and blocks every other DNS query (see `SharedResourcesProps.dnsFirewall` and
   * docs/NETWORK.md). Refused as `true` with `vpc` and under `EgressMode.INTERNET`.
   *
   * @default - true in a VPC the construct creates with `EgressMode.ENDPOINTS_ONLY`, else false
   */
  readonly dnsFirewall?: boolean;

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
   * Instances per Availability Zone in the primary tier: its floor (minimum capacity), and its
   * fixed size unless `maxInstancesPerAz` is larger. 1 to 100.
   *
   * @default 2
   */
  readonly instancesPerAz?: number;

  /**
   * The most instances per Availability Zone in the primary tier: above `instancesPerAz`, each
   * zone scales by target tracking (`targetCpuPercent`, `targetRequestsPerInstance`). An integer
   * from `instancesPerAz` to 100.
   *
   * @default - `instancesPerAz`: a fixed size
   */
  readonly maxInstancesPerAz?: number;

  /**
   * Instances per Availability Zone in the secondary tier: its floor. At least 1: a target group
   * without healthy targets makes the secondary alias unhealthy and failover impossible.
   *
   * @default - the same as `instancesPerAz`; 1 with `SecondaryMode.WARM_STANDBY`
   */
  readonly secondaryInstancesPerAz?: number;

  /**
   * The most instances per Availability Zone in the secondary tier. With `SecondaryMode.FULL`,
   * above `secondaryInstancesPerAz` the secondary's zones scale by target tracking like the
   * primary's; with `SecondaryMode.WARM_STANDBY` it is the size each zone takes over at. An
   * integer from the secondary's floor to 100.
   *
   * @default - `SecondaryMode.FULL`: the larger of the secondary's floor and `maxInstancesPerAz`
   * when that is set (the secondary scales as far as the primary), else the secondary's floor (a
   * fixed size); `SecondaryMode.WARM_STANDBY`: `instancesPerAz` (the primary's floor)
   */
  readonly secondaryMaxInstancesPerAz?: number;

  /**
   * How the secondary waits for a failover: at its full size (`FULL`), or as a warm standby with a
   * floor of one instance per zone that scales to `secondaryMaxInstancesPerAz` when the primary
   * loses capacity or the secondary starts taking traffic (`WARM_STANDBY`, see {@link WarmStandby}
   * and docs/FAILOVER.md for the minutes at reduced capacity after a failover). A warm standby is
   * not checked for `survivesAzLoss` and does not scale by target tracking.
   *
   * @default SecondaryMode.FULL
   */
  readonly secondaryMode?: SecondaryMode;

  /**
   * With `SecondaryMode.WARM_STANDBY`: the requests per minute on the secondary's target group
   * above which it takes over even while the primary reports enough healthy hosts. With
   * `RegionMode.WARM_STANDBY`: the requests per minute on the primary tier's target group above
   * which this Region takes over.
   *
   * @default 1000
   */
  readonly takeoverRequestsPerMinute?: number;

  /**
   * How this Region waits for traffic. `RegionMode.WARM_STANDBY` is for the Region that serves only
   * when another Region is lost (the secondary of a `GlobalFailover`): its primary tier runs
   * `regionStandbyInstancesPerAz` per zone and scales every zone to `maxInstancesPerAz` (default
   * `instancesPerAz`) when more than `takeoverRequestsPerMinute` requests a minute arrive on it, and
   * back to the floor after 30 minutes above it without that traffic ({@link WarmStandby} without
   * `active`: the other Region's metrics are not here). After an automatic failover to this Region it serves at the
   * floor for about 5 minutes (see docs/REGION-SWITCH-PLAN.md); a Region switch plan raises the
   * groups before it moves traffic. The primary tier then does not scale by target tracking and is
   * not checked for `survivesAzLoss`. Combine it with `secondaryMode: SecondaryMode.WARM_STANDBY`
   * for a secondary tier of one instance per zone too.
   *
   * @default RegionMode.ACTIVE
   */
  readonly regionMode?: RegionMode;

  /**
   * With `RegionMode.WARM_STANDBY`: the primary tier's instances per zone while the Region stands
   * by. An integer from 1 to 100, below the size it takes over at (`maxInstancesPerAz`, default
   * `instancesPerAz`).
   *
   * @default 1
   */
  readonly regionStandbyInstancesPerAz?: number;

  /**
   * The release the secondary runs when it should not follow the primary's: the previous
   * `machineImage` and `userData`, so that the secondary stays on the last known good release
   * while the primary runs the new one. The secondary is then one release behind: a failover lands
   * on the previous release, and each release is two deploys (primary first, then the secondary
   * catches up). See the README, "Releasing safely".
   *
   * @default - the secondary runs the primary's release, and is released first
   */
  readonly secondaryRelease?: TierRelease;

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
   * The customer-managed KMS key for root volumes and the alarm topic. A key you pass must
   * already allow the Auto Scaling service-linked role and CloudWatch (see the README); the
   * construct can only add those statements to a key defined in the same app.
   *
   * @default - a new key with rotation, an alias and guard rails (see `keyAdminRole`)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The customer-managed KMS key for the log groups (flow logs, AWS WAF, host logs, Session
   * Manager) and Session Manager's session encryption: audit data under a key of its own. A key
   * you pass must already allow CloudWatch Logs (see the README).
   *
   * @default - a new key with rotation, an alias and guard rails (see `keyAdminRole`)
   */
  readonly logsEncryptionKey?: kms.IKey;

  /**
   * The break-glass role that may schedule deletion of, disable or re-policy the keys the
   * construct creates; the key policies deny that to everyone else except the stack's
   * CloudFormation execution role.
   *
   * @default - only the CloudFormation execution role of the CDK bootstrap
   */
  readonly keyAdminRole?: iam.IRole;

  /**
   * The break-glass role that may delete access logs before their retention ends and change the
   * access-log bucket's policy, lifecycle, versioning and Object Lock; the bucket policy denies
   * that to everyone else (configuration changes: except the stack's CloudFormation execution role).
   *
   * @default - nobody may delete logs early; configuration changes only through the stack
   */
  readonly logAdminRole?: iam.IRole;

  /**
   * Log Session Manager sessions to an encrypted log group, encrypt session data and end idle
   * sessions, through a Session document of the stack's own; `operatorPolicy` lets operators start
   * sessions on this service's instances only with it. The account's Session Manager preferences
   * are left alone.
   *
   * @default true
   */
  readonly sessionLogging?: boolean;

  /**
   * Also write the account's default Session Manager preferences in this region
   * (`SSM-SessionManagerRunShell`) with the same logging, so that console sessions are logged too.
   * The document belongs to the account: creating it fails where it exists, and deleting the stack
   * or turning this off deletes the preferences of every instance in the account and region.
   *
   * @default false
   */
  readonly accountSessionPreferences?: boolean;

  /**
   * Reuse the session logging of another service (its `shared.sessionLogs`): no session log group
   * is created, the instances may write to that destination, and operators use its Session document
   * (or, without one, a document of this service's own that logs to it). Not allowed with
   * `sessionLogging: true`.
   *
   * @default - the destination created with `sessionLogging`
   */
  readonly sessionLogs?: SessionLogDestination;

  /**
   * Who enforces MFA for the operators' Session Manager sessions: `REQUIRED_IN_IAM` makes
   * `operatorPolicy` deny sessions unless `aws:MultiFactorAuthPresent` is true;
   * `ENFORCED_BY_IDENTITY_PROVIDER` is for operators' roles federated from an identity provider
   * that enforces MFA (their sessions do not carry that key).
   *
   * @default OperatorMfa.REQUIRED_IN_IAM
   */
  readonly operatorMfa?: OperatorMfa;

  /**
   * The Object Lock mode of the access-log bucket the construct creates. `COMPLIANCE` lets nobody,
   * not even the account's root user, delete a log before `accessLogRetention` ends, so a failed
   * first create leaves a bucket nobody can empty or delete for that long (see docs/DEPLOYING.md).
   * Not allowed with `accessLogsBucket`.
   *
   * @default s3.ObjectLockMode.GOVERNANCE
   */
  readonly accessLogsLockMode?: s3.ObjectLockMode;

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
   * The value of the `Environment` tag on every resource (for example `production`).
   *
   * @default - no `Environment` tag
   */
  readonly environment?: string;

  /**
   * The value of the `CostCenter` tag on every resource.
   *
   * @default - no `CostCenter` tag
   */
  readonly costCenter?: string;

  /**
   * The value of the `DataClassification` tag on every resource, which marks the PCI DSS scope
   * (for example `pci-cde` for the cardholder data environment) for inventories, tag policies and
   * ABAC (PCI DSS v4.0.1 12.5.2: the scope is documented and confirmed).
   *
   * @default - no `DataClassification` tag
   */
  readonly dataClassification?: string;

  /**
   * Make the failover records CNAME records to the load balancers' DNS names with this TTL,
   * instead of alias records with the load balancers' fixed 60 s TTL: failover reaches clients
   * sooner (each path of `failoverBudget` loses 60 s minus the TTL; with
   * `healthCheckFailureThreshold: 2` and 10 s, the HTTPS path's worst case is 96 s instead of
   * 156 s). CNAME queries are billed (alias queries to a load balancer are not), the
   * records lose target-health evaluation (the health checks still decide), `recordName` cannot be
   * the zone apex, and switching a deployed stack between alias and CNAME records fails: choose
   * before the first deploy (see docs/FAILOVER.md, "Shorter failover"). A whole number of
   * seconds from 0 to 60.
   *
   * @default - alias A records to the load balancers, served with a 60 s TTL
   */
  readonly failoverRecordTtl?: Duration;

  /**
   * The longest failover you accept: synth fails, naming what to change, when
   * `failoverBudget.worstCaseSeconds` is longer: the worst case over every path that moves
   * traffic (the HTTPS health check and the capacity alarm), with the delays AWS does not document
   * at their assumed values. At the defaults that is the capacity alarm's path, 395 s; no prop of
   * the construct brings it under about 335 s. Whole seconds from 1 to 3600.
   *
   * @default - no limit
   */
  readonly maxFailoverTime?: Duration;

  /**
   * Whether to create a CloudWatch dashboard of both tiers ({@link FailoverDashboard}). Per tier
   * and per zone, side by side: healthy hosts, target 5xx, p99 latency and request count; the
   * Route 53 health checks' status (read from us-east-1, where Route 53 publishes it); and the
   * state of every alarm. Beyond the account's free dashboards, a dashboard is billed per month.
   *
   * @default true
   */
  readonly dashboard?: boolean;

  /**
   * Whether to create the failover drills ({@link FailoverDrills}): AWS Fault Injection Service
   * experiment templates that stop the primary tier, cut one zone (one template per zone) or stop
   * a share of the primary's instances, each stopped by the secondary's health alarm and logged to
   * a log group encrypted with the logs key, kept a year; and one IAM role for FIS. Nothing runs
   * until an operator starts an experiment (see docs/DRILLS.md); the drills stop production
   * instances, so they exist only when asked for. FIS bills per action-minute of a running
   * experiment.
   *
   * @default false
   */
  readonly drills?: boolean;

  /**
   * With `drills: true`, whether to add the `RegionLost` drill: both tiers' instances stopped and
   * their groups unable to launch, so that a `GlobalFailover` must answer from the other Region
   * (see docs/DRILLS.md). Its stop condition is an alarm in this Region that fires when an operator
   * publishes the `AbortRegionLost` metric (see `FailoverDrillsProps.regionLostStopAlarm`). Only in
   * the primary Region of a `GlobalFailover`: in a single Region it takes the service down.
   *
   * @default false
   */
  readonly regionLostDrill?: boolean;

  /**
   * The scheduled image refresh ({@link ImageRefresh}): EventBridge Scheduler starts an instance
   * refresh of every zone on a schedule, health-gated and alarm-gated like a release, one zone at a
   * time (the secondary's zones first), so that a new Amazon Linux 2023 reaches every instance
   * without a deploy (PCI DSS v4.0.1 6.3.3). See docs/RELEASING.md.
   *
   * @default - every 7 days from 09:00 UTC, zones 1 hour apart, for each tier that runs the
   * default image (a tier with a pinned `machineImage` is not refreshed unless `enabled` is true)
   */
  readonly imageRefresh?: ImageRefreshOptions;
}

/**
 * A payment-grade HTTPS API that survives the loss of an instance, an Availability Zone or a
 * whole load-balancer tier: two complete tiers (primary and secondary), each an internet-facing
 * Application Load Balancer over one Auto Scaling group per Availability Zone, behind Route 53
 * failover records that send traffic to the primary while its HTTPS health check passes.
 *
 * Who creates what: {@link SharedResources} creates what both tiers share unless you
 * pass it in (the KMS key, the access-log bucket, the alarm topic, the VPC and the AWS WAF web
 * ACL); the service creates the ACM certificate unless you pass one; each {@link FailoverTier}
 * creates its load balancer, target group, Auto Scaling groups, alarms and health check; and
 * {@link FailoverDns} creates the two failover records; {@link FailoverDashboard} shows both tiers
 * (unless `dashboard: false`).
 */
export class MultiAzFailoverService extends Construct implements IRegionalService {
  /** The tier that receives traffic while it is healthy. */
  public readonly primary: FailoverTier;
  /** The tier that receives traffic while the primary is unhealthy. */
  public readonly secondary: FailoverTier;
  /** The failover records. */
  public readonly dns: FailoverDns;
  /** The name clients call: `recordName.zoneName`. */
  public readonly domainName: string;
  /** The Region the service runs in (the stack's concrete region). */
  public readonly region: string;
  /** The hosted zone of the failover records. */
  public readonly hostedZone: route53.IHostedZone;
  /** The type of the failover records: `A` (alias), or `CNAME` with `failoverRecordTtl`. */
  public readonly recordType: route53.RecordType;
  /** Both tiers' load balancers, the primary's first. */
  public readonly loadBalancers: elbv2.IApplicationLoadBalancer[];
  /** The global name the service accepts (`globalDomainName`); undefined without one. */
  public readonly globalDomainName?: string;
  /**
   * The primary tier's Auto Scaling groups' ARNs with their ids, one per zone in zone order: what a
   * Region switch plan of a `GlobalFailover` raises before it moves traffic to this Region.
   */
  public readonly regionSwitchGroupArns?: string[];
  /** The ARNs of both tiers' `healthAlarm`, the primary's first: a Region switch plan's application health alarms. */
  public readonly healthAlarmArns?: string[];
  /** The customer-managed key of volumes and topic. */
  public readonly encryptionKey: kms.IKey;
  /**
   * What both tiers share: the keys, the access-log bucket, the topic, the VPC, the web ACL, the
   * host and session log groups.
   */
  public readonly shared: SharedResources;
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
  /** The ARN of the web ACL associated with both load balancers; undefined with `WebAclOption.none()`. */
  public readonly webAclArn?: string;
  /**
   * How long a failover from the primary to the secondary tier can take with this configuration,
   * per path that moves traffic (`httpsCheck`, `capacityAlarm`), best and worst case, each split
   * into detection and DNS, computed from the synthesized health checks, health alarm, target
   * group and failover records. At the defaults: 20 s at best (the HTTPS check), 395 s at worst
   * (the capacity alarm, with the delays AWS does not document at their assumed values; see
   * docs/FAILOVER.md). Resolvers and clients that ignore the TTL, and connections kept alive to
   * the old load balancer, add time that no configuration controls.
   */
  public readonly failoverBudget: FailoverBudget;
  /**
   * An HTTPS health check of `domainName` itself, every 30 seconds: what clients see, whichever
   * tier answers. It measures, it does not route. Alarm on it (and on the primary's
   * `routingHealthCheck`, which tells that DNS failed over) with {@link HealthCheckAlarm}, in
   * us-east-1, where Route 53 publishes its metrics; a service in us-east-1 creates both alarms.
   */
  public readonly endToEndHealthCheck: route53.HealthCheck;
  /** The secondary's warm-standby scaling; undefined unless `secondaryMode` is `WARM_STANDBY`. */
  public readonly warmStandby?: WarmStandby;
  /**
   * The primary tier's scaling in a standby Region (requests arriving on it); undefined unless
   * `regionMode` is `RegionMode.WARM_STANDBY`.
   */
  public readonly regionStandby?: WarmStandby;
  /** The CloudWatch dashboard of both tiers; undefined with `dashboard: false`. */
  public readonly dashboard?: FailoverDashboard;
  /**
   * The managed policy for the operators' roles: Session Manager shells on this service's instances
   * only with its logging Session document, from the CLI:
   * `aws ssm start-session --target <instance id> --document-name <shared.sessionLogs.documentName>`
   * (the console always uses `SSM-SessionManagerRunShell`). Undefined with `sessionLogging: false`.
   */
  public readonly operatorPolicy?: iam.ManagedPolicy;
  /** The failover drills; undefined unless `drills: true`. */
  public readonly drills?: FailoverDrills;
  /**
   * The experiment templates of the failover drills (name, id, expected outcome), in the order of
   * docs/DRILLS.md; empty unless `drills: true`.
   */
  public readonly drillTemplates: DrillTemplate[];
  /**
   * The runbook that moves a whole Availability Zone in one action: an ARC zonal shift of both load
   * balancers and of the zone's Auto Scaling group of each tier, and its cancellation, groups first
   * (see docs/OPERATIONS.md). Undefined with `zonalShift: false`.
   */
  public readonly zonalShiftRunbook?: ZonalShiftRunbook;
  /** The scheduled image refresh of the zones, unless no tier has one (see `imageRefresh`). */
  public readonly imageRefresh?: ImageRefresh;

  public constructor(scope: Construct, id: string, props: MultiAzFailoverServiceProps) {
    super(scope, id);
    // The service owns only what no part owns; each part validates the props it uses.
    const {
      hostedZone,
      recordName,
      globalDomainName,
      certificate,
      vpc,
      additionalEndpoints,
      egressBuckets,
      dnsFirewall,
      availabilityZones,
      instancesPerAz,
      maxInstancesPerAz,
      secondaryInstancesPerAz,
      secondaryMaxInstancesPerAz,
      secondaryMode,
      takeoverRequestsPerMinute,
      regionMode,
      regionStandbyInstancesPerAz,
      secondaryRelease,
      notificationEmails,
      alarmTopic,
      encryptionKey,
      accessLogsBucket,
      accessLogRetention,
      webAcl,
      logsEncryptionKey,
      keyAdminRole,
      logAdminRole,
      sessionLogging,
      accountSessionPreferences,
      sessionLogs,
      operatorMfa,
      accessLogsLockMode,
      environment,
      costCenter,
      dataClassification,
      failoverRecordTtl,
      maxFailoverTime,
      dashboard,
      drills,
      regionLostDrill,
      imageRefresh,
      // What is left is exactly the TierOptions: forwarded to both tiers as they are.
      ...tierOptions
    } = props;
    validateProps(this, props);

    this.availabilityZones = availabilityZones ?? this.defaultAvailabilityZones(vpc);
    const shared = new SharedResources(this, 'Shared', {
      vpc,
      additionalEndpoints,
      egressBuckets,
      dnsFirewall,
      availabilityZones: this.availabilityZones,
      encryptionKey,
      accessLogsBucket,
      accessLogRetention,
      alarmTopic,
      notificationEmails,
      webAcl,
      logsEncryptionKey,
      keyAdminRole,
      logAdminRole,
      sessionLogging,
      accountSessionPreferences,
      sessionLogs,
      operatorMfa,
      accessLogsLockMode,
      // Also tier options: the tiers' security groups follow the same mode, their instances create
      // the operators' OS users that the operator policy names, and every alarm of the service (log
      // delivery and AWS WAF ones included) reaches the user's actions.
      egress: tierOptions.egress,
      operatorUsers: tierOptions.operatorUsers,
      alarmActions: tierOptions.alarmActions,
    });
    this.shared = shared;
    this.vpc = shared.vpc;
    this.encryptionKey = shared.encryptionKey;
    this.accessLogsBucket = shared.accessLogsBucket;
    this.alarmTopic = shared.alarmTopic;
    this.webAclArn = shared.webAclArn;

    this.domainName = FailoverDns.domainNameOf(hostedZone, recordName);
    this.region = Stack.of(this).region;
    this.hostedZone = hostedZone;
    validateGlobalDomainName(globalDomainName, hostedZone, this.domainName);
    this.globalDomainName = globalDomainName;
    this.certificate =
      certificate ??
      new acm.Certificate(this, 'Certificate', {
        domainName: this.domainName,
        // The global name is validated in the same zone as the Regional one.
        ...(globalDomainName === undefined ? {} : { subjectAlternativeNames: [globalDomainName] }),
        validation: acm.CertificateValidation.fromDns(hostedZone),
      });

    const tier = (tierId: string, priority: FailoverPriority, capacity: Partial<FailoverTierProps>) =>
      new FailoverTier(this, tierId, {
        ...tierOptions,
        ...capacity,
        priority,
        vpc: this.vpc,
        availabilityZones: this.availabilityZones,
        certificate: this.certificate,
        encryptionKey: this.encryptionKey,
        accessLogsBucket: this.accessLogsBucket,
        alarmTopic: this.alarmTopic,
        webAclArn: this.webAclArn,
        hostLogGroup: shared.hostLogGroup,
        sessionLogs: shared.sessionLogs,
        // Only the record's name (and the health checks' load balancer name) reaches the instances.
        hostNames: globalDomainName === undefined ? [this.domainName] : [this.domainName, globalDomainName],
      });
    const warm = secondaryMode === SecondaryMode.WARM_STANDBY;
    const regionStandby = regionMode === RegionMode.WARM_STANDBY;
    const primaryFloor = instancesPerAz ?? 2;
    // A standby Region's primary tier: a small floor, and its full size (what a Region switch plan
    // may also raise it to) as its maximum; it scales by the RegionStandby alarms only.
    const regionTakeover = maxInstancesPerAz ?? primaryFloor;
    const regionFloor = regionStandbyInstancesPerAz ?? 1;
    validateRegionStandby(regionMode, regionStandbyInstancesPerAz, regionFloor, regionTakeover);
    this.primary = tier(
      'Primary',
      FailoverPriority.PRIMARY,
      regionStandby
        ? {
            instancesPerAz: regionFloor,
            maxInstancesPerAz: regionTakeover,
            targetTracking: false,
            survivesAzLoss: false,
            peakInstancesNeeded: undefined,
          }
        : { instancesPerAz, maxInstancesPerAz },
    );
    const secondaryFloor = secondaryInstancesPerAz ?? (warm ? 1 : primaryFloor);
    const secondaryMax =
      secondaryMaxInstancesPerAz ??
      (warm ? primaryFloor : Math.max(secondaryFloor, maxInstancesPerAz ?? secondaryFloor));
    validateSecondaryCapacity(secondaryFloor, secondaryMax, warm);
    this.secondary = tier('Secondary', FailoverPriority.SECONDARY, {
      ...secondaryRelease,
      instancesPerAz: secondaryFloor,
      maxInstancesPerAz: secondaryMax,
      // A warm standby scales by WarmStandby's alarms only, and is small on purpose.
      ...(warm ? { targetTracking: false, survivesAzLoss: false, peakInstancesNeeded: undefined } : {}),
    });
    // Releases reach the secondary first: the primary changes only after every zone of the
    // secondary has signalled healthy on the new release.
    this.primary.releaseAfter(this.secondary);
    shared.watchLoadBalancers([this.primary.loadBalancer, this.secondary.loadBalancer]);
    shared.watchInstanceRefreshes(
      [...this.primary.zonalFleets, ...this.secondary.zonalFleets].map((fleet) => fleet.autoScalingGroup),
    );
    shared.addSessionTargets(
      [this.primary, this.secondary].flatMap((t) => t.zonalFleets.map((fleet) => fleet.autoScalingGroup)),
    );
    this.operatorPolicy = shared.operatorPolicy;
    if (warm) {
      this.warmStandby = new WarmStandby(this, 'WarmStandby', {
        active: this.primary,
        standby: this.secondary,
        takeoverInstancesPerAz: secondaryMax,
        takeoverRequestsPerMinute,
      });
    } else if (takeoverRequestsPerMinute !== undefined && !regionStandby) {
      throw new Error(
        `\`takeoverRequestsPerMinute\` needs \`secondaryMode: SecondaryMode.WARM_STANDBY\` or \`regionMode: RegionMode.WARM_STANDBY\`, got: ${takeoverRequestsPerMinute} with secondaryMode ${secondaryMode ?? SecondaryMode.FULL}`,
      );
    }
    if (regionStandby) {
      this.regionStandby = new WarmStandby(this, 'RegionStandby', {
        standby: this.primary,
        takeoverInstancesPerAz: regionTakeover,
        takeoverRequestsPerMinute,
      });
    }

    this.dns = new FailoverDns(this, 'Dns', {
      hostedZone,
      recordName,
      primary: this.primary,
      secondary: this.secondary,
      failoverRecordTtl,
    });
    this.recordType = failoverRecordTtl === undefined ? route53.RecordType.A : route53.RecordType.CNAME;
    this.loadBalancers = [this.primary.loadBalancer, this.secondary.loadBalancer];
    this.regionSwitchGroupArns = this.primary.zonalFleets.map(
      (fleet) => (fleet.autoScalingGroup.node.defaultChild as autoscaling.CfnAutoScalingGroup).attrAutoScalingGroupArn,
    );
    this.healthAlarmArns = [this.primary.healthAlarm, this.secondary.healthAlarm].map(
      (alarm) => (alarm.node.defaultChild as cloudwatch.CfnAlarm).attrArn,
    );
    this.failoverBudget = computeFailoverBudget(this.primary, [this.dns.primaryRecord, this.dns.secondaryRecord]);
    validateMaxFailoverTime(maxFailoverTime, this.failoverBudget, failoverRecordTtl !== undefined);
    if (dashboard ?? true) {
      this.dashboard = new FailoverDashboard(this, 'Dashboard', { tiers: [this.primary, this.secondary] });
    }

    if (drills ?? false) {
      this.drills = new FailoverDrills(this, 'Drills', {
        primary: this.primary,
        secondary: this.secondary,
        vpc: this.vpc,
        logGroup: shared.createAuditLogGroup(this, 'DrillLogs', 'drills', Duration.days(365)),
        failoverBudget: this.failoverBudget,
        volumeEncryptionKey: this.encryptionKey,
        zonalAutoshift: tierOptions.zonalAutoshift,
        regionLost: regionLostDrill,
        // A standby Region's primary tier idles at its small floor: no partial fleet to stop.
        partialFleet: !regionStandby,
        alarmTopic: this.alarmTopic,
      });
    } else if (regionLostDrill) {
      throw new Error('`regionLostDrill` needs `drills: true` (it is one of the drills), got: true with drills false');
    }
    this.drillTemplates = this.drills?.templates ?? [];
    if (tierOptions.zonalShift ?? true) {
      this.zonalShiftRunbook = new ZonalShiftRunbook(this, 'ZonalShiftRunbook', {
        tiers: [this.primary, this.secondary],
      });
    }

    // New images without a deploy: each tier that runs the default image (resolved at launch) is
    // refreshed on a schedule, the secondary's zones first, as a release reaches them.
    const refreshed = (image: ec2.IMachineImage | undefined) => imageRefresh?.enabled ?? image === undefined;
    const fleets = [
      ...(refreshed(secondaryRelease?.machineImage ?? tierOptions.machineImage) ? this.secondary.zonalFleets : []),
      ...(refreshed(tierOptions.machineImage) ? this.primary.zonalFleets : []),
    ];
    if (fleets.length > 0) {
      this.imageRefresh = new ImageRefresh(this, 'ImageRefresh', { ...imageRefresh, fleets });
    }

    // What users see: the record name itself, measured by Route 53 (not used for routing).
    this.endToEndHealthCheck = httpsHealthCheck(this, 'EndToEndHealthCheck', {
      fqdn: this.domainName,
      path: tierOptions.healthCheckPath ?? '/health',
      searchString: tierOptions.healthCheckSearchString,
      requestInterval: Duration.seconds(30),
      failureThreshold: 3,
    });
    // Route 53 health-check metrics exist only in us-east-1: there, the service alarms on them
    // itself; elsewhere, add HealthCheckAlarms to a us-east-1 stack (see the README).
    if (Stack.of(this).region === 'us-east-1') {
      new HealthCheckAlarm(this, 'FailedOverAlarm', {
        healthCheck: this.primary.routingHealthCheck,
        description: `The primary tier of ${this.domainName} is unhealthy: DNS answers with the secondary`,
        alarmTopic: this.alarmTopic,
        alarmActions: tierOptions.alarmActions,
      });
      new HealthCheckAlarm(this, 'EndToEndAlarm', {
        healthCheck: this.endToEndHealthCheck,
        description: `${this.domainName} does not answer its health path over HTTPS`,
        alarmTopic: this.alarmTopic,
        alarmActions: tierOptions.alarmActions,
      });
    }

    // Cost-allocation tags only when asked for: a library does not invent business values.
    if (environment !== undefined) {
      Tags.of(this).add('Environment', environment);
    }
    if (costCenter !== undefined) {
      Tags.of(this).add('CostCenter', costCenter);
    }
    if (dataClassification !== undefined) {
      Tags.of(this).add('DataClassification', dataClassification);
    }
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

/**
 * What only the service owns: the region, `secondaryInstancesPerAz` (the secondary tier calls it
 * `instancesPerAz`), the tags, and the zones against the VPC. Every other prop is validated by
 * the part that uses it, with the same prop name.
 */
function validateProps(scope: Construct, props: MultiAzFailoverServiceProps): void {
  const region = Stack.of(scope).region;
  if (Token.isUnresolved(region)) {
    throw new Error(
      '`MultiAzFailoverService` needs a stack with a concrete `env.region` (ALB access logging names the ' +
        "region's load-balancing account in the bucket policy), got: an unresolved region token",
    );
  }
  validateConcrete('secondaryInstancesPerAz', props.secondaryInstancesPerAz, 'the unhealthy-host alarm threshold');
  validateInteger('secondaryInstancesPerAz', props.secondaryInstancesPerAz, 1, 100);
  validateConcrete('secondaryMaxInstancesPerAz', props.secondaryMaxInstancesPerAz, 'whether the zones scale');
  validateInteger('secondaryMaxInstancesPerAz', props.secondaryMaxInstancesPerAz, 1, 100);
  validateTagValue('environment', props.environment);
  validateTagValue('costCenter', props.costCenter);
  validateTagValue('dataClassification', props.dataClassification);
  validateSeconds('maxFailoverTime', props.maxFailoverTime, 1, 3600);
  if (props.vpc !== undefined && props.vpc.availabilityZones.length < 2 && props.availabilityZones === undefined) {
    throw new Error(`\`vpc\` must span at least 2 Availability Zones, got: ${show(props.vpc.availabilityZones)}`);
  }
}

/**
 * The global name: fully qualified, in the service's zone (the certificate validates it there and
 * the global records live there: an alias can only target a record in its own zone,
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-alias-common.html),
 * and not the service's own name (both would be failover records of one name).
 */
function validateGlobalDomainName(name: string | undefined, zone: route53.IHostedZone, domainName: string): void {
  if (name === undefined || Token.isUnresolved(name) || Token.isUnresolved(zone.zoneName)) {
    return;
  }
  const zoneName = zone.zoneName.replace(/\.$/, '').toLowerCase();
  const lower = name.replace(/\.$/, '').toLowerCase();
  const label = '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?';
  if (!new RegExp(`^${label}(\\.${label})*$`).test(lower) || (lower !== zoneName && !lower.endsWith(`.${zoneName}`))) {
    throw new Error(
      `\`globalDomainName\` must be a fully qualified name in the hosted zone ${zoneName} (for example "api.${zoneName}"), got: ${show(name)}`,
    );
  }
  if (lower === domainName.toLowerCase()) {
    throw new Error(
      `\`globalDomainName\` must differ from the service's own name \`recordName.zoneName\` (give each Region's service its own \`recordName\`, for example GlobalFailover.regionalRecordName('api', '${Stack.of(zone).region}')), got: ${show(name)}`,
    );
  }
}

/** The secondary's own capacity props, which its tier knows under the primary's names. */
function validateSecondaryCapacity(floor: number, max: number, warm: boolean): void {
  if (Token.isUnresolved(floor) || Token.isUnresolved(max)) {
    return;
  }
  if (max < floor) {
    throw new Error(
      `\`secondaryMaxInstancesPerAz\` must be at least the secondary's floor \`secondaryInstancesPerAz\` (${floor}), got: ${max}`,
    );
  }
  if (warm && max === floor) {
    throw new Error(
      `\`secondaryMode: SecondaryMode.WARM_STANDBY\` needs \`secondaryMaxInstancesPerAz\` above the secondary's floor \`secondaryInstancesPerAz\` (${floor}), the size it takes over at, got: ${max}`,
    );
  }
}

/** `regionStandbyInstancesPerAz`: only in a standby Region, and below the size it takes over at. */
function validateRegionStandby(
  mode: RegionMode | undefined,
  given: number | undefined,
  floor: number,
  takeover: number,
): void {
  if (given !== undefined && mode !== RegionMode.WARM_STANDBY) {
    throw new Error(
      `\`regionStandbyInstancesPerAz\` needs \`regionMode: RegionMode.WARM_STANDBY\`, got: ${given} with regionMode ${mode ?? RegionMode.ACTIVE}`,
    );
  }
  validateConcrete('regionStandbyInstancesPerAz', given, 'the standby Region floor of each zone');
  validateInteger('regionStandbyInstancesPerAz', given, 1, 100);
  if (mode === RegionMode.WARM_STANDBY && !Token.isUnresolved(takeover) && floor >= takeover) {
    throw new Error(
      `\`regionStandbyInstancesPerAz\` must be below the size the Region takes over at (\`maxInstancesPerAz\`, default \`instancesPerAz\`: ${takeover}), got: ${floor}`,
    );
  }
}
