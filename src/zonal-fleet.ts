import { Annotations, Aws, CfnResource, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledge, controlTower } from './private/acknowledge';
import { uniqueAlarmName } from './private/alarm-name';
import { notify } from './private/notify';
import { releaseSignalUserData } from './private/release-signal';
import { validateGracePeriod } from './private/validate';

/**
 * Properties for {@link ZonalFleet}.
 */
export interface ZonalFleetProps {
  /** The VPC; the fleet runs in its private subnet with egress in `availabilityZone`. */
  readonly vpc: ec2.IVpc;

  /** The Availability Zone of this fleet. */
  readonly availabilityZone: string;

  /**
   * The settings of the zone's launch template, except `userData`, which must be left out: the
   * fleet builds the user data from `userDataParts` and its release signal.
   */
  readonly launchTemplateProps: ec2.LaunchTemplateProps;

  /**
   * The instances' user data, as shell-script parts of a MIME multipart document that cloud-init
   * runs in order; the fleet appends the last part, which waits for `healthCheckPath` to answer on
   * the instance and then signals the group's creation policy (see {@link ZonalFleet}). Each part
   * must return: start long-running processes as services.
   */
  readonly userDataParts: ec2.UserData[];

  /** The HTTPS path that the signal step requests on the instance (port 443) before it signals success. */
  readonly healthCheckPath: string;

  /**
   * Instances in this zone: the floor (minimum capacity), and the desired capacity while the group
   * does not scale (`maxInstances` equal to it).
   */
  readonly instances: number;

  /**
   * The most instances in this zone. Above `instances`, the group scales by target tracking on
   * CPU (`targetCpuPercent`) and, with `targetRequestsPerInstance`, on requests per target, unless
   * `targetTracking` is false.
   *
   * @default - `instances`: a fixed size
   */
  readonly maxInstances?: number;

  /**
   * Whether a group with room above its floor scales by target tracking. False leaves its scaling
   * to the caller (the service's warm standby).
   *
   * @default true
   */
  readonly targetTracking?: boolean;

  /**
   * The average CPU utilization the group's target tracking keeps (when it scales).
   *
   * @default 50
   */
  readonly targetCpuPercent?: number;

  /**
   * The requests per minute per target (ALB `RequestCountPerTarget`) the group's target tracking
   * keeps (when it scales).
   *
   * @default - no request-count tracking
   */
  readonly targetRequestsPerInstance?: number;

  /**
   * How long CloudFormation waits, when it creates the group, for every instance to signal that its
   * health path answers; past it, the creation fails. Releases are gated by `releaseAlarms`.
   *
   * @default Duration.minutes(15)
   */
  readonly signalTimeout?: Duration;

  /**
   * How long after an instance starts Auto Scaling ignores its health checks (the group's
   * `HealthCheckGracePeriod`); also the warmup of an instance refresh when the group has no
   * default instance warmup. Whole seconds, shorter than `signalTimeout`.
   *
   * @default Duration.minutes(5)
   */
  readonly healthCheckGracePeriod?: Duration;

  /** The tier's target group, which the group registers its instances in. */
  readonly targetGroup: elbv2.ApplicationTargetGroup;

  /** The tier's load balancer, whose metrics in this zone the zone's alarms watch. */
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;

  /**
   * The longest an instance runs before Auto Scaling replaces it (launching first).
   *
   * @default Duration.days(30)
   */
  readonly maxInstanceLifetime?: Duration;

  /**
   * Register the group with ARC zonal shift, ignoring unhealthy instances in a zone with an
   * active zonal shift (see {@link ZonalFleet}).
   *
   * @default true
   */
  readonly zonalShift?: boolean;

  /**
   * The p99 target response time above which the zone's latency alarm fires.
   *
   * @default Duration.seconds(1)
   */
  readonly latencyThreshold?: Duration;

  /**
   * The topic of the zone's alarms (ALARM and OK) and of the group's Auto Scaling notifications.
   *
   * @default - no topic
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * More actions for the ALARM state of the zone's alarms.
   *
   * @default - none
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];
}

/** How long a new instance's metrics stay out of the scaling policies' aggregates. */
const INSTANCE_WARMUP = Duration.minutes(3);

/** The 5xx outlier alarm fires when the zone's share of the tier's 5xx exceeds its share of healthy hosts by this many points. */
const OUTLIER_POINTS = 30;

/**
 * How long a released zone must stay quiet after its last new instance is warm before CloudFormation
 * moves on: one full period of the zone's 5-minute alarms (5xx, outlier) over the new instances.
 */
export const RELEASE_BAKE_TIME = Duration.minutes(5);

/** A release keeps every instance of the group healthy: it launches before it terminates. */
const RELEASE_MIN_HEALTHY_PERCENT = 100;

/** A release launches up to the group's size again beside the old instances. */
const RELEASE_MAX_HEALTHY_PERCENT = 200;

/** The alarms an instance refresh watches at most (AlarmSpecification: "up to 10 alarms"). */
const MAX_RELEASE_ALARMS = 10;

/** Neither 5xx alarm judges fewer target 5xx answers than this in 5 minutes. */
const MIN_5XX = 10;

/**
 * One Availability Zone of a tier: its Auto Scaling group, its alarms and its tags. Everything
 * that exists once per zone per tier lives here, so that features acting per zone (alarms,
 * zonal shift, drills, dashboards) have one home; `FailoverTier.zonalFleets` exposes them.
 *
 * The group launches from its own launch template, whose user data ends with a step that signals
 * the group's creation policy once the instance's health path answers. It has `instances` as its
 * floor and, up to `maxInstances`, target tracking on CPU and requests per target; ELB health
 * checks; a maximum instance lifetime with an instance maintenance policy that launches before it
 * terminates; an instance refresh update policy: a release (a launch template change) replaces the
 * group's instances inside it at its current size, launching before terminating, failed by the
 * zone's release alarms (`releaseAlarms`) and followed by a bake time; its creation waits for every
 * instance's signal; and, with `zonalShift`,
 * ARC zonal shift registration with `IgnoreUnhealthy`: while a zonal shift is active for this zone
 * (started by an operator, a drill or ARC autoshift), Auto Scaling does not replace instances that
 * fail their health checks because the zone is impaired, so the zone keeps its capacity for when it
 * recovers (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-zonal-shift.html).
 * A group here has one zone, so the shift's other effect, launching in the group's other zones,
 * does not apply: the other zones' groups already hold their own fixed capacity (static stability).
 *
 * The zone's alarms use the `AvailabilityZone` dimension of the load balancer's metrics: healthy
 * hosts below the zone's floor, p99 target response time, and the zone's share of the tier's target
 * 5xx well above its share of healthy hosts (an outlier: a gray failure that health checks miss);
 * `impairedAlarm` is a composite of the three. An empty zone (no registered target, so no
 * `HealthyHostCount`) breaches the healthy-hosts alarm. `inServiceAlarm` counts the group's
 * in-service instances, which the autoshift practice runs are blocked on.
 */
export class ZonalFleet extends Construct {
  /** The Availability Zone of this fleet. */
  public readonly availabilityZone: string;
  /** The zone's floor: the group's minimum capacity. */
  public readonly floor: number;
  /** The group's maximum capacity (the floor when it does not scale). */
  public readonly maxInstances: number;
  /** The zone's Auto Scaling group. */
  public readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  /** The zone's launch template: the tier's settings, with user data that signals this zone's group. */
  public readonly launchTemplate: ec2.LaunchTemplate;
  /**
   * Fires when fewer healthy hosts than `instances` serve in this zone, including when none is
   * registered (the load balancer then publishes no `HealthyHostCount`, which counts as 0).
   */
  public readonly healthyHostsAlarm: cloudwatch.Alarm;
  /**
   * Fires when the zone's Auto Scaling group has fewer in-service instances than `instances`
   * (`GroupInServiceInstances`). A zonal shift of the load balancer does not move it: the tier's
   * autoshift practice runs are blocked on it, not on `healthyHostsAlarm`.
   */
  public readonly inServiceAlarm: cloudwatch.Alarm;
  /** Fires when the zone's targets answered 5xx more than 10 times in 5 minutes. */
  public readonly target5xxAlarm: cloudwatch.Alarm;
  /** Fires when the zone's p99 target response time is above the latency threshold. */
  public readonly latencyAlarm: cloudwatch.Alarm;
  /** Fires when the zone's share of the tier's target 5xx is far above its share of healthy hosts. */
  public readonly outlierAlarm: cloudwatch.Alarm;
  /** The zone is impaired: any of the zone's alarms fires. */
  public readonly impairedAlarm: cloudwatch.CompositeAlarm;
  /** The zone's alarms: healthy hosts, target 5xx, latency, outlier (not the composite). */
  public readonly alarms: cloudwatch.Alarm[];
  /**
   * The zone's alarms that block the tier's zonal autoshift practice runs: in-service instances,
   * latency and the 5xx outlier. Not `healthyHostsAlarm`: during a practice run the shifted zone's
   * targets are under an administrative override, and whether `HealthyHostCount` still counts them
   * is not documented; a blocking alarm also stops a practice run in progress.
   */
  public readonly practiceRunBlockingAlarms: cloudwatch.IAlarm[];
  /** The alarms that fail a release of this zone (its instance refresh) when one is in ALARM. */
  public readonly releaseAlarms: cloudwatch.IAlarm[] = [];

  private readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  private readonly targetGroup: elbv2.ApplicationTargetGroup;

  public constructor(scope: Construct, id: string, props: ZonalFleetProps) {
    super(scope, id);
    const az = props.availabilityZone;
    this.availabilityZone = az;
    this.loadBalancer = props.loadBalancer;
    this.targetGroup = props.targetGroup;

    if (props.launchTemplateProps.userData !== undefined) {
      throw new Error(
        '`launchTemplateProps.userData` must be left out: pass the user data as `userDataParts`, which the fleet joins with its release signal, got: a UserData',
      );
    }
    const floor = props.instances;
    const max = props.maxInstances ?? floor;
    if (!Token.isUnresolved(max) && !Token.isUnresolved(floor) && max < floor) {
      throw new Error(`\`maxInstances\` must be at least \`instances\` (${floor}), got: ${max}`);
    }
    const scales = max > floor;
    this.floor = floor;
    this.maxInstances = max;
    const signalTimeout = props.signalTimeout ?? Duration.minutes(15);
    const gracePeriod = props.healthCheckGracePeriod ?? Duration.minutes(5);
    validateGracePeriod('healthCheckGracePeriod', gracePeriod, signalTimeout);
    // A launch template per zone: its user data names this zone's group, which the signal is for.
    const userData = new ec2.MultipartUserData();
    for (const part of props.userDataParts) {
      userData.addUserDataPart(part, ec2.MultipartBody.SHELL_SCRIPT);
    }
    const launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      ...props.launchTemplateProps,
      userData,
    });
    this.launchTemplate = launchTemplate;

    const group = new autoscaling.AutoScalingGroup(this, 'AutoScalingGroup', {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, availabilityZones: [az] },
      launchTemplate,
      minCapacity: floor,
      maxCapacity: max,
      // A scaling group keeps the size its policies chose across deploys; a fixed one is reset.
      desiredCapacity: scales ? undefined : floor,
      healthChecks: autoscaling.HealthChecks.withAdditionalChecks({
        additionalTypes: [autoscaling.AdditionalHealthCheckType.ELB],
        gracePeriod,
      }),
      groupMetrics: [autoscaling.GroupMetrics.all()],
      // Patch cadence: every instance is replaced onto the current image within this lifetime,
      // the new one launched and healthy before the old one goes (launch before terminating).
      // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-instance-maintenance-policy.html
      maxInstanceLifetime: props.maxInstanceLifetime ?? Duration.days(30),
      minHealthyPercentage: 100,
      maxHealthyPercentage: 200,
      defaultInstanceWarmup: scales ? INSTANCE_WARMUP : undefined,
      notifications: props.alarmTopic ? [{ topic: props.alarmTopic }] : undefined,
    });
    this.autoScalingGroup = group;
    const cfnGroup = group.node.defaultChild as autoscaling.CfnAutoScalingGroup;
    // The first create: every instance of the floor signals that its health path answers within
    // the timeout, or the create fails. Set on the L1 resource: the L2 `signals` prop would also
    // add `cloudformation:SignalResource` as an inline policy on the instance role, which the
    // tier's customer-managed instance policy grants instead.
    cfnGroup.cfnOptions.creationPolicy = {
      autoScalingCreationPolicy: { minSuccessfulInstancesPercent: 100 },
      resourceSignal: { count: floor, timeout: signalTimeout.toIsoString() },
    };
    // Releases: a change of the launch template (image, user data, instance type, volume) makes
    // CloudFormation start an instance refresh of this group, which replaces its instances inside
    // the group and keeps its size: launch before terminate (100 % healthy at least, up to 200 %),
    // each new instance warmed up (the default instance warmup, else the grace period), then a bake
    // time; any of the release alarms in ALARM fails the refresh and the stack update. An update
    // waits on no signal, so no instance can count toward another release's gate.
    // https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-overview.html
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-updatepolicy.html
    cfnGroup.cfnOptions.updatePolicy = {
      ...cfnGroup.cfnOptions.updatePolicy,
      autoScalingInstanceRefresh: {
        strategy: autoscaling.InstanceRefreshStrategy.ROLLING,
        preferences: {
          minHealthyPercentage: RELEASE_MIN_HEALTHY_PERCENT,
          maxHealthyPercentage: RELEASE_MAX_HEALTHY_PERCENT,
          bakeTime: RELEASE_BAKE_TIME.toSeconds(),
          alarmSpecification: {
            alarms: Lazy.list({ produce: () => this.releaseAlarms.map((alarm) => alarm.alarmName) }),
          },
        },
      },
    };
    this.node.addValidation({
      validate: () =>
        this.releaseAlarms.length > MAX_RELEASE_ALARMS
          ? [
              `A release of ${az} is watched by at most ${MAX_RELEASE_ALARMS} alarms (an instance refresh takes up to 10), got: ${this.releaseAlarms.length}`,
            ]
          : [],
    });
    userData.addUserDataPart(
      releaseSignalUserData({
        stackName: Aws.STACK_NAME,
        resource: Stack.of(this).getLogicalId(group.node.defaultChild as CfnResource),
        region: Aws.REGION,
        healthCheckPath: props.healthCheckPath,
        // Signal failure a minute before CloudFormation would time out: the rollback starts sooner.
        deadlineSeconds: Math.max(60, signalTimeout.toSeconds() - 60),
      }),
      ec2.MultipartBody.SHELL_SCRIPT,
    );
    if (props.zonalShift ?? true) {
      (group.node.defaultChild as autoscaling.CfnAutoScalingGroup).availabilityZoneImpairmentPolicy = {
        zonalShiftEnabled: true,
        impairedZoneHealthCheckBehavior: 'IgnoreUnhealthy',
      };
      // The tier's target group has cross-zone load balancing off (tier-entry.ts), and Auto Scaling
      // refuses zonal shift with cross-zone disabled load balancers unless told to skip the check,
      // which guards against "capacity could become imbalanced across Availability Zones"
      // (SkipZonalShiftValidation, https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html).
      // This group has one zone, and every zone has its own group with the same floor.
      cfnGroup.skipZonalShiftValidation = true;
    }
    if (!scales) {
      // The capacity is fixed on purpose (min = max = desired): resetting it on deploy is intended.
      Annotations.of(group).acknowledgeWarning(
        '@aws-cdk/aws-autoscaling:desiredCapacitySet',
        'The fleet size is fixed by instancesPerAz; every deploy is meant to restore it',
      );
    }
    // Instances start once their zone's way out exists: user data that installs the application
    // from the network must not race the NAT route or the VPC endpoints (a VPC the construct
    // creates adds its endpoints to each private subnet's internetConnectivityEstablished).
    group.node.addDependency(
      props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, availabilityZones: [az] })
        .internetConnectivityEstablished,
    );
    props.targetGroup.addTarget(group);
    if (scales && (props.targetTracking ?? true)) {
      // Target tracking per zone: CPU of this zone's group, and requests per target of the tier's
      // target group (the same in every zone: the load balancer spreads requests across zones).
      // https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html
      group.scaleOnCpuUtilization('CpuTracking', { targetUtilizationPercent: props.targetCpuPercent ?? 50 });
      if (props.targetRequestsPerInstance !== undefined) {
        group.scaleOnRequestCount('RequestTracking', { targetRequestsPerMinute: props.targetRequestsPerInstance });
      }
    }
    acknowledge(
      group.node.defaultChild!,
      [controlTower('autoscaling_multiple_az_check')],
      'One group per Availability Zone by design, so that each zone keeps its fixed capacity; the tier spans all zones through its target group',
    );
    acknowledge(
      group.node.defaultChild!,
      [controlTower('autoscaling_mixed_instances_policy_multiple_instance_types_check')],
      'The fleet is a fixed, tested instance type (instanceType) with fixed capacity per zone: a payment API is sized and load-tested for one type',
    );

    const inZone = (metricName: string, statistic: string, period: Duration) =>
      this.metric(metricName, { statistic, period });
    const minute = Duration.minutes(1);
    const fiveMinutes = Duration.minutes(5);
    // An empty zone is the worst case, not a quiet one: `HealthyHostCount` is "Reported if there are
    // registered targets" (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html),
    // so a zone whose instances are all gone publishes nothing. FILL turns a missing minute into 0
    // healthy hosts, and missing data is breaching too, in case the expression returns no point at
    // all when its metric has none in the window (not documented either way: unverified).
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
    // A release does not trip it: an instance refresh launches before it terminates and keeps at
    // least 100 % of the group healthy.
    this.healthyHostsAlarm = new cloudwatch.Alarm(this, 'HealthyHosts', {
      alarmDescription: `Fewer than ${floor} healthy hosts (the floor) in ${az}, or none registered`,
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(healthy, 0)',
        usingMetrics: { healthy: inZone('HealthyHostCount', cloudwatch.Stats.MINIMUM, minute) },
        period: minute,
        label: `Healthy hosts in ${az} (0 when none is registered)`,
      }),
      threshold: floor,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    // Auto Scaling's own count of the zone's in-service instances: group metrics are on, and Auto
    // Scaling sends them every minute at 1-minute granularity, 0 included
    // (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-metrics.html). A zonal
    // shift of the load balancer does not change it, which is why the autoshift practice runs'
    // blocking alarm reads it instead of `HealthyHosts` (see tier-zonal-shift.ts).
    this.inServiceAlarm = new cloudwatch.Alarm(this, 'InService', {
      alarmDescription: `Fewer than ${floor} in-service instances (the floor) in ${az}'s Auto Scaling group`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/AutoScaling',
        metricName: 'GroupInServiceInstances',
        dimensionsMap: { AutoScalingGroupName: group.autoScalingGroupName },
        statistic: cloudwatch.Stats.MINIMUM,
        period: minute,
      }),
      threshold: floor,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      // The group publishes every minute while it exists: no data means no group metrics.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    // Not made to wait for the group, unlike the in-service alarm: it is one of the release alarms
    // that the group's update policy names, so the group depends on it, and a dependency back would
    // be a cycle that CloudFormation refuses. On a stack's first create it may therefore report the
    // zone empty for the minutes before the first targets register, and notify once.
    this.target5xxAlarm = new cloudwatch.Alarm(this, 'Target5xx', {
      alarmDescription: `The targets in ${az} answered 5xx more than ${MIN_5XX} times in 5 minutes`,
      metric: inZone('HTTPCode_Target_5XX_Count', cloudwatch.Stats.SUM, fiveMinutes),
      threshold: MIN_5XX,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const latency = props.latencyThreshold ?? Duration.seconds(1);
    this.latencyAlarm = new cloudwatch.Alarm(this, 'Latency', {
      alarmDescription: `p99 target response time in ${az} above ${latency.toHumanString()}`,
      metric: inZone('TargetResponseTime', cloudwatch.Stats.percentile(99), minute),
      threshold: latency.toSeconds({ integral: false }),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.outlierAlarm = new cloudwatch.Alarm(this, 'Outlier', {
      alarmDescription: `${az} answers a share of the tier's target 5xx more than ${OUTLIER_POINTS} points above its share of healthy hosts`,
      metric: new cloudwatch.MathExpression({
        expression: `IF(tier5xx >= ${MIN_5XX} AND tierHealthy > 0, 100 * zone5xx / tier5xx - 100 * zoneHealthy / tierHealthy, 0)`,
        usingMetrics: {
          zone5xx: inZone('HTTPCode_Target_5XX_Count', cloudwatch.Stats.SUM, fiveMinutes),
          tier5xx: props.targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
            period: fiveMinutes,
            statistic: cloudwatch.Stats.SUM,
          }),
          zoneHealthy: inZone('HealthyHostCount', cloudwatch.Stats.AVERAGE, fiveMinutes),
          tierHealthy: props.targetGroup.metrics.healthyHostCount({
            period: fiveMinutes,
            statistic: cloudwatch.Stats.AVERAGE,
          }),
        },
        period: fiveMinutes,
        label: `Share of 5xx minus share of healthy hosts in ${az}`,
      }),
      threshold: OUTLIER_POINTS,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarms = [this.healthyHostsAlarm, this.target5xxAlarm, this.latencyAlarm, this.outlierAlarm];
    // The zone's own alarms fail its release: the three behind `Impaired` (metric alarms: whether an
    // instance refresh accepts a composite alarm is not documented) and the zone's 5xx.
    this.releaseAlarms.push(...this.alarms);
    this.practiceRunBlockingAlarms = [this.inServiceAlarm, this.latencyAlarm, this.outlierAlarm];
    // 5xx alone is not zonal (a bad release answers 5xx in every zone): the composite takes the
    // outlier instead.
    this.impairedAlarm = new cloudwatch.CompositeAlarm(this, 'Impaired', {
      // aws-cdk-lib names a composite alarm after its construct path, which two stacks of one app
      // share: alarm names are unique per account and region, so the stack name goes first.
      compositeAlarmName: uniqueAlarmName(this, 'Impaired'),
      alarmDescription: `${az} is impaired for this tier: too few healthy hosts, slow, or a 5xx outlier. Consider an ARC zonal shift away from it.`,
      alarmRule: cloudwatch.AlarmRule.anyOf(this.healthyHostsAlarm, this.latencyAlarm, this.outlierAlarm),
    });
    notify([...this.alarms, this.inServiceAlarm, this.impairedAlarm], props.alarmTopic, props.alarmActions);
  }

  /**
   * Adds alarms that fail a release of this zone (the instance refresh) when they are in ALARM, for
   * example the tier's 5xx and latency alarms. With the zone's own four, at most 10.
   *
   * @param alarms the alarms to watch during a release
   */
  public addReleaseAlarms(alarms: cloudwatch.IAlarm[]): void {
    this.releaseAlarms.push(...alarms);
  }

  /**
   * Starts an instance refresh of this zone's group on a schedule, with the preferences of a
   * release (the group's update policy): launch before terminate (100 % to 200 % healthy), the
   * release alarms (`releaseAlarms`, read when the template is written) and the bake time. Returns
   * the EventBridge Scheduler schedule (`ImageRefreshSchedule`), whose universal target calls
   * `autoscaling:StartInstanceRefresh` with `role`
   * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html). See
   * {@link ImageRefresh}, which calls it for every zone, for the preferences it leaves out.
   *
   * @param scheduleExpression when: a Scheduler `cron(...)` or `rate(...)` expression, in UTC
   * @param role the role Scheduler assumes; it needs `autoscaling:StartInstanceRefresh` on this group
   */
  public refreshOnSchedule(scheduleExpression: string, role: iam.IRole): scheduler.CfnSchedule {
    const stack = Stack.of(this);
    return new scheduler.CfnSchedule(this, 'ImageRefreshSchedule', {
      description: `Scheduled instance refresh of ${this.availabilityZone} (a new image, alarm-gated; see docs/RELEASING.md)`,
      scheduleExpression,
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: `arn:${Aws.PARTITION}:scheduler:::aws-sdk:autoscaling:startInstanceRefresh`,
        roleArn: role.roleArn,
        // The StartInstanceRefresh request
        // (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html).
        input: Lazy.string({
          produce: () =>
            stack.toJsonString({
              AutoScalingGroupName: this.autoScalingGroup.autoScalingGroupName,
              Strategy: 'Rolling',
              Preferences: {
                MinHealthyPercentage: RELEASE_MIN_HEALTHY_PERCENT,
                MaxHealthyPercentage: RELEASE_MAX_HEALTHY_PERCENT,
                BakeTime: RELEASE_BAKE_TIME.toSeconds(),
                // Without a desired configuration, skip matching skips instances "that have the same
                // launch template and instance types that the Auto Scaling group was using before the
                // start of the instance refresh": every instance, since a new image changes no
                // launch template version
                // (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html).
                SkipMatching: false,
                // "A rollback is not supported when ... The Auto Scaling group has a launch template
                // that uses an AWS Systems Manager parameter instead of an AMI ID for the ImageId
                // property" (same page).
                AutoRollback: false,
                AlarmSpecification: { Alarms: this.releaseAlarms.map((alarm) => alarm.alarmName) },
              },
            }),
        }),
        // A run that cannot start (the group is already refreshing: InstanceRefreshInProgress) is
        // skipped, not retried into the next zone's slot.
        retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
      },
    });
  }

  /**
   * Makes this zone's group wait for `other`'s: CloudFormation creates and releases (refreshes) it
   * only after `other`'s group has succeeded, so a bad release stops at the first zone it reaches.
   *
   * @param other the fleet released before this one
   */
  public releaseAfter(other: ZonalFleet): void {
    (this.autoScalingGroup.node.defaultChild as CfnResource).addResourceDependency(
      other.autoScalingGroup.node.defaultChild as CfnResource,
      'releases reach one zone at a time',
    );
  }

  /**
   * A metric of the tier's target group in this zone only. It is `AWS/ApplicationELB` with the
   * `LoadBalancer`, `TargetGroup` and `AvailabilityZone` dimensions, which Elastic Load Balancing
   * publishes for the target metrics (`HealthyHostCount`, `HTTPCode_Target_5XX_Count`,
   * `TargetResponseTime`, `RequestCount`, ...). The zone's alarms and the dashboard read it.
   *
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
   * @param metricName the metric's name, for example `HealthyHostCount`
   * @param props statistic, period, label and the other metric options; the dimensions are this zone's
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      ...props,
      namespace: 'AWS/ApplicationELB',
      metricName,
      dimensionsMap: {
        LoadBalancer: this.loadBalancer.loadBalancerFullName,
        TargetGroup: this.targetGroup.targetGroupFullName,
        AvailabilityZone: this.availabilityZone,
      },
    });
  }
}
