import { Annotations, Aws, Duration, Names } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledge, controlTower } from './private/acknowledge';

/**
 * Properties for {@link ZonalFleet}.
 */
export interface ZonalFleetProps {
  /** The VPC; the fleet runs in its private subnet with egress in `availabilityZone`. */
  readonly vpc: ec2.IVpc;

  /** The Availability Zone of this fleet. */
  readonly availabilityZone: string;

  /** The launch template of the instances. */
  readonly launchTemplate: ec2.ILaunchTemplate;

  /** Instances in this zone: minimum = maximum = desired. */
  readonly instances: number;

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

/** The 5xx outlier alarm fires when the zone's share of the tier's 5xx exceeds its share of healthy hosts by this many points. */
const OUTLIER_POINTS = 30;

/** Neither 5xx alarm judges fewer target 5xx answers than this in 5 minutes. */
const MIN_5XX = 10;

/**
 * One Availability Zone of a tier: its Auto Scaling group, its alarms and its tags. Everything
 * that exists once per zone per tier lives here, so that features acting per zone (alarms,
 * zonal shift, drills, dashboards) have one home; `FailoverTier.zonalFleets` exposes them.
 *
 * The group has a fixed size (`instances`), ELB health checks, a maximum instance lifetime with
 * an instance maintenance policy that launches before it terminates, and, with `zonalShift`,
 * ARC zonal shift registration with `IgnoreUnhealthy`: while a zonal shift is active for this zone
 * (started by an operator, a drill or ARC autoshift), Auto Scaling does not replace instances that
 * fail their health checks because the zone is impaired, so the zone keeps its capacity for when it
 * recovers (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-zonal-shift.html).
 * A group here has one zone, so the shift's other effect, launching in the group's other zones,
 * does not apply: the other zones' groups already hold their own fixed capacity (static stability).
 *
 * The zone's alarms use the `AvailabilityZone` dimension of the load balancer's metrics: healthy
 * hosts below the zone's size, p99 target response time, and the zone's share of the tier's target
 * 5xx well above its share of healthy hosts (an outlier: a gray failure that health checks miss);
 * `impairedAlarm` is a composite of the three.
 */
export class ZonalFleet extends Construct {
  /** The Availability Zone of this fleet. */
  public readonly availabilityZone: string;
  /** The zone's Auto Scaling group. */
  public readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  /** Fires when fewer healthy hosts than `instances` serve in this zone. */
  public readonly healthyHostsAlarm: cloudwatch.Alarm;
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

  private readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  private readonly targetGroup: elbv2.ApplicationTargetGroup;

  public constructor(scope: Construct, id: string, props: ZonalFleetProps) {
    super(scope, id);
    const az = props.availabilityZone;
    this.availabilityZone = az;
    this.loadBalancer = props.loadBalancer;
    this.targetGroup = props.targetGroup;

    const group = new autoscaling.AutoScalingGroup(this, 'AutoScalingGroup', {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, availabilityZones: [az] },
      launchTemplate: props.launchTemplate,
      minCapacity: props.instances,
      maxCapacity: props.instances,
      desiredCapacity: props.instances,
      healthChecks: autoscaling.HealthChecks.withAdditionalChecks({
        additionalTypes: [autoscaling.AdditionalHealthCheckType.ELB],
        gracePeriod: Duration.seconds(90),
      }),
      groupMetrics: [autoscaling.GroupMetrics.all()],
      // Patch cadence: every instance is replaced onto the current image within this lifetime,
      // the new one launched and healthy before the old one goes (launch before terminating).
      // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-instance-maintenance-policy.html
      maxInstanceLifetime: props.maxInstanceLifetime ?? Duration.days(30),
      minHealthyPercentage: 100,
      maxHealthyPercentage: 200,
      notifications: props.alarmTopic ? [{ topic: props.alarmTopic }] : undefined,
    });
    if (props.zonalShift ?? true) {
      (group.node.defaultChild as autoscaling.CfnAutoScalingGroup).availabilityZoneImpairmentPolicy = {
        zonalShiftEnabled: true,
        impairedZoneHealthCheckBehavior: 'IgnoreUnhealthy',
      };
    }
    // The capacity is fixed on purpose (min = max = desired): resetting it on deploy is intended.
    Annotations.of(group).acknowledgeWarning(
      '@aws-cdk/aws-autoscaling:desiredCapacitySet',
      'The fleet size is fixed by instancesPerAz; every deploy is meant to restore it',
    );
    // Instances start once their zone's way out exists: user data that installs the application
    // from the network must not race the NAT route or the VPC endpoints (a VPC the construct
    // creates adds its endpoints to each private subnet's internetConnectivityEstablished).
    group.node.addDependency(
      props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, availabilityZones: [az] })
        .internetConnectivityEstablished,
    );
    props.targetGroup.addTarget(group);
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
    this.autoScalingGroup = group;

    const inZone = (metricName: string, statistic: string, period: Duration) =>
      this.metric(metricName, { statistic, period });
    const minute = Duration.minutes(1);
    const fiveMinutes = Duration.minutes(5);
    this.healthyHostsAlarm = new cloudwatch.Alarm(this, 'HealthyHosts', {
      alarmDescription: `Fewer than ${props.instances} healthy hosts in ${az}`,
      metric: inZone('HealthyHostCount', cloudwatch.Stats.MINIMUM, minute),
      threshold: props.instances,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
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
    // 5xx alone is not zonal (a bad release answers 5xx in every zone): the composite takes the
    // outlier instead.
    this.impairedAlarm = new cloudwatch.CompositeAlarm(this, 'Impaired', {
      // aws-cdk-lib names a composite alarm after its construct path, which two stacks of one app
      // share: alarm names are unique per account and region, so the stack name goes first.
      compositeAlarmName: `${Aws.STACK_NAME}-${Names.uniqueResourceName(this, { maxLength: 120, separator: '-' })}-Impaired`,
      alarmDescription: `${az} is impaired for this tier: too few healthy hosts, slow, or a 5xx outlier. Consider an ARC zonal shift away from it.`,
      alarmRule: cloudwatch.AlarmRule.anyOf(this.healthyHostsAlarm, this.latencyAlarm, this.outlierAlarm),
    });
    for (const alarm of [...this.alarms, this.impairedAlarm]) {
      if (props.alarmTopic) {
        const action = new cw_actions.SnsAction(props.alarmTopic);
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
      alarm.addAlarmAction(...(props.alarmActions ?? []));
    }
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
