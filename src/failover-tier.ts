/*
 * FailoverTier, one serving tier, and its props (FailoverPriority, TierOptions, FailoverTierProps).
 * Its constructor composes its jobs, each in a file of its own that builds in the tier's scope, so
 * that construct ids and logical ids are the tier's own: prop checks (tier-validation.ts), network
 * rules (tier-network.ts), entry (tier-entry.ts), instances (tier-instances.ts), one ZonalFleet per
 * zone (zonal-fleet.ts), alarms (tier-alarms.ts), health (tier-health.ts) and zonal shift
 * (tier-zonal-shift.ts).
 */
import { CfnResource, Duration, Size, Tags } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { EgressMode } from './egress-mode';
import { IFailoverTarget } from './failover-target';
import { zoneConstructId } from './private/zones';
import { SessionLogDestination } from './session-log-destination';
import { TierAlarms } from './tier-alarms';
import { tierEntry } from './tier-entry';
import { tierHealth } from './tier-health';
import { tierInstances } from './tier-instances';
import { tierLogShipping } from './tier-log-shipping';
import { tierSecurityGroups } from './tier-network';
import { checkTierProps } from './tier-validation';
import { tierZonalShift } from './tier-zonal-shift';
import { ZonalFleet } from './zonal-fleet';

/**
 * Which Route 53 failover role a tier plays. Also the value of the tier's `FailoverPriority` tag.
 */
export enum FailoverPriority {
  /** Receives traffic while its health check passes. */
  PRIMARY = 'primary',
  /** Receives traffic while the primary is unhealthy. */
  SECONDARY = 'secondary',
}

/**
 * How a tier's fleet, target group, listener and alarms are set up. Shared by
 * {@link FailoverTierProps} and `MultiAzFailoverServiceProps`, where it applies to both tiers.
 */
export interface TierOptions {
  /**
   * The instance type.
   *
   * @default t3.medium
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * The machine image. Its root device must be `/dev/xvda`, as on Amazon Linux, and its
   * architecture must match `instanceType`.
   *
   * @default - the latest Amazon Linux 2023 for the architecture of `instanceType` (x86_64, or
   * arm64 for Graviton types such as t4g, kernel 6.1), which EC2 resolves from its public SSM
   * parameter at every launch (see `imageRefresh`)
   */
  readonly machineImage?: ec2.IMachineImage;

  /**
   * The instances' user data, which must start the application: an HTTPS server on port 443
   * that answers `healthCheckPath` with 200 (and, with `healthCheckSearchString`, a body that
   * contains it). Route 53 calls the health path with `Host: <load balancer DNS name>`.
   *
   * @default - a placeholder HTTPS server with a self-signed certificate that answers
   * `healthCheckPath` with 200 and every other path with 404; synth warns
   * (`multi-az-failover-service:placeholderApplication`) until you pass your own
   */
  readonly userData?: ec2.UserData;

  /**
   * The operators' OS users, created on every instance (without a password, without sudo, in the
   * `systemd-journal` group) by the host setup, which also stops and masks sshd. Session Manager
   * runs each operator's shell as the OS user named by the `SSMSessionRunAs` tag of their IAM role
   * (or the session tag their identity provider passes), and refuses a session whose user does not
   * exist on the instance; `operatorPolicy` allows sessions only to principals whose tag names one
   * of these users. Linux user names (lowercase letter or `_` first, at most 32 characters), not
   * `root`, `ssm-user` or `ec2-user`.
   *
   * @default - no operator users: nobody can open a shell on the instances
   */
  readonly operatorUsers?: string[];

  /**
   * The size of each instance's encrypted gp3 root volume: a whole number of GiB from 8 to 16384.
   *
   * @default Size.gibibytes(20)
   */
  readonly rootVolumeSize?: Size;

  /**
   * How long a load balancer keeps sending in-flight requests to a deregistering target:
   * whole seconds from 0 to 3600.
   *
   * @default Duration.seconds(20)
   */
  readonly deregistrationDelay?: Duration;

  /**
   * The HTTPS path that the target group and the Route 53 health check request; the
   * application must answer it with 200. An absolute path of at most 255 characters.
   *
   * @default '/health'
   */
  readonly healthCheckPath?: string;

  /**
   * A string that the health path's response body must contain, in its first 5,120 bytes, for
   * the Route 53 health check to pass (an `HTTPS_STR_MATCH` check). Route 53 counts any 2xx or
   * 3xx status as healthy, the target group only 200: a search string that only a healthy
   * application writes (for example `"status":"UP"`) keeps a redirect or an error page from
   * passing. 1 to 255 characters.
   *
   * @default - no search string: Route 53 checks the status code only (an `HTTPS` check)
   */
  readonly healthCheckSearchString?: string;

  /**
   * The unhealthy-host alarm fires when more than this share of the tier's targets are unhealthy
   * (`100 × UnHealthyHostCount / (UnHealthyHostCount + HealthyHostCount)`; at full capacity, more
   * than tier instances × percent / 100). More than 0, at most 100.
   *
   * @default 50
   */
  readonly unhealthyHostThresholdPercent?: number;

  /**
   * The latency alarm fires when the average target response time is above this.
   * More than 0, at most 3600 seconds.
   *
   * @default Duration.seconds(1)
   */
  readonly latencyThreshold?: Duration;

  /**
   * Whether the load balancer also listens on port 80 to redirect HTTP to HTTPS. Off by default:
   * an API client that calls `http://` has already sent its request (headers, body, credentials)
   * in cleartext when the redirect comes back, so without a port-80 listener and ingress rule the
   * connection is refused before anything is sent (PCI DSS v4.0.1 4.2.1). Turn it on for
   * browsers; every HTTPS response carries an HSTS header either way.
   *
   * @default false
   */
  readonly httpRedirect?: boolean;

  /**
   * Where the instances may send HTTPS (PCI DSS v4.0.1 1.3.2), and, in `MultiAzFailoverService`,
   * whether the VPC it creates has NAT gateways. With `EgressMode.ENDPOINTS_ONLY` the instances'
   * security group allows 443 to the VPC's CIDR (its interface endpoints) and to S3 (the Amazon
   * Linux package repositories): to `egressPrefixLists` when given, else to any IPv4 address,
   * which a VPC without a NAT route confines to the S3 gateway endpoint's prefix list (the S3
   * prefix list's id differs per region and cannot be read from CloudFormation, so the construct
   * cannot name it offline). With `EgressMode.INTERNET` the group allows 443 to any IPv4 address
   * (through the VPC's NAT gateways), or, with `egressPrefixLists`, to the VPC's CIDR and those
   * prefix lists only. A `vpc` you pass must provide the matching path: VPC endpoints for
   * `ENDPOINTS_ONLY`, NAT for `INTERNET` (see the README, "Restricted egress").
   *
   * @default EgressMode.ENDPOINTS_ONLY
   */
  readonly egress?: EgressMode;

  /**
   * The prefix lists the instances may send HTTPS to, besides the VPC's CIDR: with them, the
   * instances' security group has no any-IPv4 rule. Under `EgressMode.ENDPOINTS_ONLY` pass the
   * region's S3 prefix list (`com.amazonaws.<region>.s3`, for example
   * `ec2.PrefixList.fromPrefixListId(this, 'S3', 'pl-...')` with the id from
   * `aws ec2 describe-managed-prefix-lists`), so that the group itself restricts S3 traffic to S3;
   * under `EgressMode.INTERNET` pass the prefix lists of the third parties your application calls
   * (and S3's, for the package repositories). At least one prefix list.
   *
   * @default - no prefix list: 443 to any IPv4 address, which routing confines to S3 under
   * `ENDPOINTS_ONLY` and sends through NAT under `INTERNET`
   */
  readonly egressPrefixLists?: ec2.IPrefixList[];

  /**
   * The longest an instance runs before Auto Scaling replaces it, launching the replacement
   * first (an instance maintenance policy of 100 to 200 % healthy) so that capacity never dips.
   * Every instance is thus rebuilt from the current launch template and image at least this
   * often: the patch cadence (PCI DSS v4.0.1 6.3.3). Whole days from 1 to 365.
   *
   * @default Duration.days(30)
   */
  readonly maxInstanceLifetime?: Duration;

  /**
   * More actions for the ALARM state of every alarm of the tier, in addition to the alarm
   * topic's: for example an `SnsAction` for a pager's topic, a `cloudwatch_actions.LambdaAction`
   * or an Incident Manager `SsmIncidentAction`. `MultiAzFailoverService` adds them wherever it
   * notifies its topic: both tiers, the log-delivery and AWS WAF alarms and, in us-east-1, the
   * Route 53 alarms (`FailedOverAlarm`, `EndToEndAlarm`). Alarms that only drive automation (warm
   * standby, zonal autoshift blocking) keep their own actions. At most 4 beside a topic (a
   * CloudWatch alarm takes 5 actions per state).
   *
   * @default - only the alarm topic
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];

  /**
   * The TLS policy of the HTTPS listener. It must accept TLS 1.2 and nothing older: policies
   * that accept TLS 1.0 or 1.1 are refused, and so are TLS 1.3-only policies (`TLS13-1-3`),
   * because Route 53 HTTPS health checks connect with TLS 1.2 at most and would never pass.
   * For FIPS 140-3 endpoints use `SslPolicy.FIPS_TLS13_12_RES_PQ` or `SslPolicy.FIPS_TLS13_12_RES`.
   *
   * @default elbv2.SslPolicy.TLS13_12_RES_PQ - TLS 1.3 with post-quantum hybrid key exchange
   * (ML-KEM), and TLS 1.2 with forward-secret AEAD ciphers only
   */
  readonly sslPolicy?: elbv2.SslPolicy;

  /**
   * Whether the load balancer has deletion protection on. Off by default: with it on, a first
   * deploy that fails after the load balancers exist cannot roll back (ROLLBACK_FAILED) and
   * `cdk destroy` fails. Turn it on once the first deploy has succeeded, and protect the
   * stack with termination protection (see the README).
   *
   * @default false
   */
  readonly deletionProtection?: boolean;

  /**
   * The Systems Manager Parameter Store path the instances may read (`ssm:GetParameter`,
   * `GetParameters`, `GetParametersByPath` on the parameters under it), for example
   * `/payments/api/`. SecureString parameters under the AWS managed key `aws/ssm` decrypt without
   * further permissions; under a customer managed key, grant `kms:Decrypt` on `instanceRole`.
   * Parameters elsewhere stay unreadable (PCI DSS v4.0.1 7.2.5).
   *
   * @default - the instances read no parameters
   */
  readonly parameterPrefix?: string;

  /**
   * ARC zonal shift, one switch: the load balancer's zonal shift integration
   * (`zonal_shift.config.enabled`) with a 300-second client keep-alive, so that an operator can
   * move traffic out of an impaired Availability Zone within minutes and without a DNS change, and
   * every zone's Auto Scaling group registered with zonal shift, ignoring unhealthy instances in a
   * shifted zone (see `ZonalFleet`). Zonal shift needs one target group across all zones, which
   * each tier has.
   *
   * @default true
   */
  readonly zonalShift?: boolean;

  /**
   * ARC zonal autoshift: AWS shifts traffic out of a zone when its own telemetry finds the zone
   * impaired, and runs a 30-minute practice shift about weekly; the tier's `healthAlarm` is the
   * practice runs' outcome alarm, and a composite of the zones' in-service, latency and outlier
   * alarms (`AnyZoneImpaired`; ARC takes one blocking alarm; see `ZonalFleet.practiceRunBlockingAlarms`)
   * blocks them. Off by default, because
   * it lets AWS move traffic. Needs `zonalShift`.
   *
   * @default false
   */
  readonly zonalAutoshift?: boolean;

  /**
   * The share of the tier's instances that must be healthy for the tier to count as able to carry
   * its load: below it, `healthAlarm` fires and, for the primary, its failover record turns
   * unhealthy, so Route 53 fails over before the tier is completely dead. More than 0, at most 100.
   *
   * @default 50
   */
  readonly minHealthyHostsPercent?: number;

  /**
   * How many consecutive Route 53 health checks (10 s apart) must fail before the tier's health
   * check, and so its failover record, counts as unhealthy; as many must pass again for it to
   * count as healthy. Each failure adds 10 s to the time it takes to detect a failed tier (see
   * `MultiAzFailoverService.failoverBudget`); 1 fails over on a single failed round of checks, so
   * a blip can move traffic. An integer from 1 to 10.
   *
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html
   * @default 3
   */
  readonly healthCheckFailureThreshold?: number;

  /**
   * The average CPU utilization that each zone's target tracking policy keeps, in a tier whose
   * `maxInstancesPerAz` is above its floor `instancesPerAz`. More than 0, at most 100.
   *
   * @default 50
   */
  readonly targetCpuPercent?: number;

  /**
   * The requests per minute per instance that each zone's target tracking policy keeps (the load
   * balancer's `RequestCountPerTarget`), in a tier whose `maxInstancesPerAz` is above its floor.
   * Take it from a load test of your application: the requests one instance serves at the latency
   * you promise, with headroom. An integer from 1 to 1,000,000.
   *
   * @default - no request-count tracking: CPU only
   */
  readonly targetRequestsPerInstance?: number;

  /**
   * Whether synth checks that the tier's floor carries `peakInstancesNeeded` after losing its
   * largest Availability Zone (static stability: no scaling needed to survive a zone's loss).
   *
   * @default true
   */
  readonly survivesAzLoss?: boolean;

  /**
   * The instances the tier's expected peak load needs: with `survivesAzLoss`, synth fails unless
   * the floor of the zones left after losing the largest one is at least this. An integer from 1
   * to 10,000.
   *
   * @default - the floor total × (zones − 1) / zones, which the floor always carries
   */
  readonly peakInstancesNeeded?: number;

  /**
   * How long CloudFormation waits, when it creates a zone's Auto Scaling group, for every instance
   * to signal that its health path answers on the instance; past it, the creation fails. (A
   * release, an instance refresh, is gated by the zone's and the tier's alarms instead.) Allow for
   * the boot, the host-logging step and your user data. Whole minutes from 5 to 60.
   *
   * @default Duration.minutes(15)
   */
  readonly signalTimeout?: Duration;

  /**
   * How long after an instance starts Auto Scaling ignores its health checks
   * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/health-check-grace-period.html): an
   * instance whose application is still starting is not replaced for failing the load balancer's
   * health check. Allow for the boot, the host-logging step (which installs the CloudWatch agent
   * and rsyslog with dnf), the release signal's tools and your application's start. Too long, and
   * an instance that never becomes healthy keeps its place that much longer. An instance refresh
   * warms instances up for this long when the group has no default instance warmup (groups that
   * do not scale have none). Whole seconds, shorter than `signalTimeout`.
   *
   * @default Duration.minutes(5): about a minute of boot and package installs, two to three
   * minutes for a typical application (a JVM service) to start, and the 20 s the target group
   * needs to see two healthy checks, with room to spare
   */
  readonly healthCheckGracePeriod?: Duration;
}

/**
 * Properties for {@link FailoverTier}.
 */
export interface FailoverTierProps extends TierOptions {
  /**
   * The failover role of this tier; tags every resource of the tier with `FailoverPriority`.
   */
  readonly priority: FailoverPriority;

  /**
   * The VPC to run in. Its public subnets host the load balancer, its private subnets with
   * egress host the instances.
   */
  readonly vpc: ec2.IVpc;

  /**
   * The Availability Zones to run in: one Auto Scaling group per zone. 2 to 6 distinct zones
   * in which the VPC has public and private subnets.
   */
  readonly availabilityZones: string[];

  /**
   * The certificate of the HTTPS listener.
   */
  readonly certificate: acm.ICertificate;

  /**
   * The customer-managed KMS key that encrypts the instances' root volumes. Its key policy must
   * let the Auto Scaling service-linked role use it (see the README).
   */
  readonly encryptionKey: kms.IKey;

  /**
   * The bucket that receives the load balancer's access logs. It must use SSE-S3 encryption,
   * the only kind ALB access logging supports.
   */
  readonly accessLogsBucket: s3.IBucket;

  /**
   * The key prefix of this tier's access logs in the bucket.
   *
   * @default - the priority, `primary` or `secondary`
   */
  readonly accessLogsPrefix?: string;

  /**
   * The SNS topic for the tier's alarms and its Auto Scaling notifications.
   *
   * @default - alarms without actions and no Auto Scaling notifications
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Instances in each Availability Zone: the floor (minimum capacity), and the fixed size unless
   * `maxInstancesPerAz` is larger. At least 1: a target
   * group without healthy targets makes the failover alias unhealthy.
   *
   * @default 2
   */
  readonly instancesPerAz?: number;

  /**
   * The most instances in each Availability Zone. Above `instancesPerAz` (the floor), each zone
   * scales by target tracking on CPU (`targetCpuPercent`) and, with `targetRequestsPerInstance`,
   * on requests per instance. An integer from `instancesPerAz` to 100.
   *
   * @default - `instancesPerAz`: a fixed size
   */
  readonly maxInstancesPerAz?: number;

  /**
   * Whether zones with room above their floor scale by target tracking. False leaves their scaling
   * to you (through `zonalFleets`); `MultiAzFailoverService` sets it for a warm-standby secondary.
   *
   * @default true
   */
  readonly targetTracking?: boolean;

  /**
   * The ARN of a regional AWS WAF web ACL to associate with the load balancer.
   *
   * @default - no web ACL
   */
  readonly webAclArn?: string;

  /**
   * The host names clients call (for example the failover record's name). With them, the HTTPS
   * listener forwards only requests whose `Host` header is one of them or the load balancer's own
   * DNS name (which Route 53 health checks send), and answers every other request with 404: a
   * scanner that calls the load balancer by IP address or by another name never reaches the
   * instances. 1 to 8 names; `*` and `?` wildcards are allowed as in ALB host conditions. An ALB
   * host-header condition takes at most 3 values, so the names and the load balancer's own go
   * into listener rules of 3 (priorities 1, 2, 3).
   *
   * @default - every `Host` header is forwarded
   */
  readonly hostNames?: string[];

  /**
   * The log group that the CloudWatch agent on every instance ships the host logs to: the
   * authentication, system and audit logs and the cloud-init output, one stream per instance and
   * file (`i-0abc/secure`). The construct adds the agent's installation and configuration as the
   * first part of the launch template's user data, before `userData`.
   */
  readonly hostLogGroup: logs.ILogGroup;

  /**
   * Where Session Manager logs sessions (the account's Session Manager preferences): the instances
   * may write there and use the key that encrypts session data.
   *
   * @default - the instances get no permissions for session logs
   */
  readonly sessionLogs?: SessionLogDestination;
}

/**
 * One complete serving tier: an internet-facing Application Load Balancer across the given
 * Availability Zones (HTTPS only with a TLS 1.2+ policy and HSTS, access logs,
 * invalid headers dropped), an HTTPS target group, one Auto Scaling group per zone
 * (a {@link ZonalFleet}: a floor of `instancesPerAz`, released zone by zone, gated by alarms)
 * from encrypted, IMDSv2-only launch templates in private subnets, the tier's alarms, and the
 * Route 53 HTTPS health check that decides whether the tier receives traffic.
 */
export class FailoverTier extends Construct implements IFailoverTarget {
  /** The failover role of this tier. */
  public readonly priority: FailoverPriority;
  /** The internet-facing load balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The load balancer's security group: 443 (and 80 with `httpRedirect`) from the internet, out only to the instances. */
  public readonly loadBalancerSecurityGroup: ec2.SecurityGroup;
  /** The HTTPS listener on port 443. */
  public readonly httpsListener: elbv2.ApplicationListener;
  /** The HTTPS target group the Auto Scaling groups register in. */
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  /**
   * One Auto Scaling group per Availability Zone, in the order of `availabilityZones`: those of
   * `zonalFleets`. Each group is keyed by its zone's name (`ZoneEuWest1a/AutoScalingGroup`), so
   * adding or removing a zone leaves the other zones' groups as they are.
   */
  public readonly autoScalingGroups: autoscaling.AutoScalingGroup[];
  /**
   * One {@link ZonalFleet} per Availability Zone, in the order of `availabilityZones`: each zone's
   * Auto Scaling group and alarms, under `Zone<Name>`.
   */
  public readonly zonalFleets: ZonalFleet[];
  /**
   * Fires when fewer than `minHealthyHosts` targets are healthy: the tier cannot carry its load.
   * Route 53 reads it through `capacityHealthCheck`; with `zonalAutoshift` it is the outcome
   * alarm of the practice runs.
   */
  public readonly healthAlarm: cloudwatch.Alarm;
  /** The healthy hosts below which `healthAlarm` fires: `minHealthyHostsPercent` of `instanceCount`, rounded up. */
  public readonly minHealthyHosts: number;
  /** The Route 53 health check of `healthAlarm` (type `CLOUDWATCH_METRIC`; no data keeps the last status). */
  public readonly capacityHealthCheck: route53.HealthCheck;
  /**
   * The health check of the tier's failover record: for the primary, a `CALCULATED` check healthy
   * only while both `healthCheck` (HTTPS) and `capacityHealthCheck` are; for the secondary, `healthCheck`.
   */
  public readonly routingHealthCheck: route53.HealthCheck;
  /** The instances' security group: 443 only from the load balancer. */
  public readonly instanceSecurityGroup: ec2.SecurityGroup;
  /** The instance profile of the zones' launch templates (`zonalFleets[i].launchTemplate`). */
  public readonly instanceProfile: iam.InstanceProfile;
  /** The instances' IAM role, with {@link instancePolicy} and no AWS managed policy. */
  public readonly instanceRole: iam.Role;
  /**
   * The customer-managed policy of the instances: Session Manager's instance actions, writing
   * the host logs (and session logs), and reading the parameters under `parameterPrefix`.
   */
  public readonly instancePolicy: iam.ManagedPolicy;
  /** The Route 53 HTTPS health check of the load balancer. */
  public readonly healthCheck: route53.HealthCheck;
  /** The load balancer, as the failover record's alias target ({@link IFailoverTarget}). */
  public readonly failoverLoadBalancer: elbv2.ILoadBalancerV2;
  /** `routingHealthCheck`, as the failover record's ({@link IFailoverTarget}). */
  public readonly failoverHealthCheck: route53.IHealthCheck;
  /** The tier's CloudWatch alarms. */
  public readonly alarms: TierAlarms;
  /**
   * Fires when an in-service instance of the tier sent no log-shipping heartbeat for 9 minutes:
   * its CloudWatch agent, rsyslog or auditd stopped, or its logs cannot leave it (PCI DSS v4.0.1
   * 10.7.2). Counts the instances Auto Scaling launches later too.
   */
  public readonly logShippingAlarm: cloudwatch.Alarm;
  /** Instances in the whole tier: Availability Zones × instances per zone. */
  public readonly instanceCount: number;

  public constructor(scope: Construct, id: string, props: FailoverTierProps) {
    super(scope, id);
    checkTierProps(this, props);

    const instancesPerAz = props.instancesPerAz ?? 2;
    const healthCheckPath = props.healthCheckPath ?? '/health';
    const azs = props.availabilityZones;
    this.priority = props.priority;
    this.instanceCount = azs.length * instancesPerAz;
    Tags.of(this).add('FailoverPriority', props.priority);

    // Each job builds its resources in this construct (`this`), so that their construct paths,
    // and so their logical ids, are the tier's own (`Primary/LoadBalancer`, `Primary/HealthCheck`).
    // Its network rules (tier-network.ts).
    const securityGroups = tierSecurityGroups(this, props);
    this.loadBalancerSecurityGroup = securityGroups.loadBalancer;
    this.instanceSecurityGroup = securityGroups.instances;

    // Its entry: load balancer, target group, listeners, web ACL association (tier-entry.ts).
    const entry = tierEntry(this, props, { securityGroup: securityGroups.loadBalancer, healthCheckPath });
    this.loadBalancer = entry.loadBalancer;
    this.targetGroup = entry.targetGroup;
    this.httpsListener = entry.httpsListener;

    // What its instances start from: role, profile, launch template, user data (tier-instances.ts).
    const instances = tierInstances(this, props, { securityGroup: securityGroups.instances, healthCheckPath });
    this.instanceRole = instances.role;
    this.instancePolicy = instances.policy;
    this.instanceProfile = instances.instanceProfile;

    // Its zones: one ZonalFleet each.
    const zonalShift = props.zonalShift ?? true;
    this.zonalFleets = azs.map(
      (az, index) =>
        new ZonalFleet(this, zoneConstructId(az, index), {
          vpc: props.vpc,
          availabilityZone: az,
          launchTemplateProps: instances.launchTemplateProps,
          userDataParts: instances.userDataParts,
          healthCheckPath,
          instances: instancesPerAz,
          maxInstances: props.maxInstancesPerAz,
          targetTracking: props.targetTracking,
          targetCpuPercent: props.targetCpuPercent,
          targetRequestsPerInstance: props.targetRequestsPerInstance,
          signalTimeout: props.signalTimeout,
          healthCheckGracePeriod: props.healthCheckGracePeriod,
          targetGroup: entry.targetGroup,
          loadBalancer: entry.loadBalancer,
          maxInstanceLifetime: props.maxInstanceLifetime,
          zonalShift,
          latencyThreshold: props.latencyThreshold,
          alarmTopic: props.alarmTopic,
          alarmActions: props.alarmActions,
        }),
    );
    // Zone by zone: each zone's group is created and released only after the previous zone's
    // succeeded, so a bad release fails (and rolls back) in one zone before it reaches the next.
    this.zonalFleets.forEach((fleet, index) => {
      if (index > 0) {
        fleet.releaseAfter(this.zonalFleets[index - 1]);
      }
    });
    this.autoScalingGroups = this.zonalFleets.map((fleet) => fleet.autoScalingGroup);

    // Its alarms (tier-alarms.ts).
    this.alarms = new TierAlarms(this, 'Alarms', {
      targetGroup: entry.targetGroup,
      loadBalancer: entry.loadBalancer,
      instanceCount: this.instanceCount,
      unhealthyHostThresholdPercent: props.unhealthyHostThresholdPercent,
      latencyThreshold: props.latencyThreshold,
      alarmTopic: props.alarmTopic,
      alarmActions: props.alarmActions,
    });
    // A host that stops shipping its logs (tier-log-shipping.ts).
    this.logShippingAlarm = tierLogShipping(this, {
      hostLogGroup: props.hostLogGroup,
      autoScalingGroups: this.autoScalingGroups,
      alarmTopic: props.alarmTopic,
      alarmActions: props.alarmActions,
    });
    // An empty tier breaches NoHealthyHosts: create it once every zone's group has signalled.
    this.alarms.noHealthyHostsAlarm.node.addDependency(...this.autoScalingGroups);
    // A bad release that answers 5xx or slowly everywhere fails in the first zone it reaches.
    for (const fleet of this.zonalFleets) {
      fleet.addReleaseAlarms([this.alarms.target5xxAlarm, this.alarms.latencyAlarm]);
    }

    // Its health: the Route 53 checks and the capacity alarm (tier-health.ts).
    const health = tierHealth(this, props, {
      loadBalancer: entry.loadBalancer,
      targetGroup: entry.targetGroup,
      healthCheckPath,
      instanceCount: this.instanceCount,
      routeOnCapacity: props.priority === FailoverPriority.PRIMARY,
    });
    this.healthCheck = health.healthCheck;
    this.minHealthyHosts = health.minHealthyHosts;
    this.healthAlarm = health.healthAlarm;
    this.capacityHealthCheck = health.capacityHealthCheck;
    this.routingHealthCheck = health.routingHealthCheck;

    // ARC zonal shift and autoshift (tier-zonal-shift.ts).
    tierZonalShift(this, props, {
      loadBalancer: entry.loadBalancer,
      zonalFleets: this.zonalFleets,
      healthAlarm: health.healthAlarm,
    });

    this.failoverLoadBalancer = entry.loadBalancer;
    this.failoverHealthCheck = this.routingHealthCheck;
  }

  /**
   * Releases this tier after `other`: CloudFormation creates and refreshes this tier's Auto Scaling
   * groups only after all of `other`'s have succeeded, and updates this tier's HTTPS listener
   * (TLS policy, certificate) only after `other`'s. `MultiAzFailoverService` releases the primary
   * after the secondary, so a release that fails its alarms never reaches the primary.
   *
   * @param other the tier released first
   */
  public releaseAfter(other: FailoverTier): void {
    this.zonalFleets[0].releaseAfter(other.zonalFleets[other.zonalFleets.length - 1]);
    (this.httpsListener.node.defaultChild as CfnResource).addResourceDependency(
      other.httpsListener.node.defaultChild as CfnResource,
      'listener changes reach the other tier first',
    );
  }
}
