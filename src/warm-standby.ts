import { Duration } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Construct } from 'constructs';
import { FailoverTier } from './failover-tier';
import { validateInteger } from './private/validate';

/**
 * How the secondary tier waits for a failover.
 */
export enum SecondaryMode {
  /** The secondary runs as many instances as it is given at all times: failover lands on full capacity. */
  FULL = 'full',
  /**
   * The secondary runs a small floor (`secondaryInstancesPerAz`, default 1) and scales to
   * `secondaryMaxInstancesPerAz` (default the primary's `instancesPerAz`) when the primary loses
   * capacity or the secondary starts taking traffic (see {@link WarmStandby}).
   */
  WARM_STANDBY = 'warm-standby',
}

/**
 * How a Region waits for traffic (see `MultiAzFailoverServiceProps.regionMode`).
 */
export enum RegionMode {
  /** The Region serves, or stands by, at the size it is given. */
  ACTIVE = 'active',
  /**
   * The Region stands by for another Region (the secondary of a `GlobalFailover`): its primary tier
   * runs a small floor (`regionStandbyInstancesPerAz`, default 1) and scales to its full size when
   * requests arrive on it (see {@link WarmStandby} without `active`).
   */
  WARM_STANDBY = 'warm-standby',
}

/**
 * Properties for {@link WarmStandby}.
 */
export interface WarmStandbyProps {
  /**
   * The tier that serves while healthy (the primary): the standby also takes over when this tier
   * has fewer healthy hosts than its `minHealthyHosts`.
   *
   * @default - none: the standby takes over only when requests arrive on it (a Region standby,
   * whose active Region's metrics are in another Region)
   */
  readonly active?: FailoverTier;

  /** The tier that waits with a small floor and scales up to take over (the secondary). */
  readonly standby: FailoverTier;

  /**
   * The instances per zone the standby scales each zone to when it takes over. At most the
   * standby's maximum per zone.
   */
  readonly takeoverInstancesPerAz: number;

  /**
   * Requests per minute on the standby's target group above which it takes over even while the
   * active tier reports enough healthy hosts (DNS failed over for another reason, for example the
   * active load balancer unreachable). Route 53 health checkers alone send the standby up to
   * several requests per second, so keep it well above a few hundred. An integer from 1 to 1,000,000.
   *
   * @default 1000
   */
  readonly takeoverRequestsPerMinute?: number;
}

/** The quiet minutes after which a standby that took over goes back to its floor. */
const STAND_DOWN_MINUTES = 15;

/**
 * The same for a Region standby: longer than a Region switch plan's capacity step and traffic step
 * together (its `capacityTimeout` defaults to 20 minutes), which raise the groups before requests
 * arrive.
 */
const REGION_STAND_DOWN_MINUTES = 30;

/**
 * Scales a warm-standby tier from its floor to take over. Route 53 health-check metrics exist only
 * in us-east-1 and cannot drive scaling in another region, so the signals are regional: the active
 * tier's healthy hosts below its `minHealthyHosts` (what turns its failover record unhealthy), or
 * more than `takeoverRequestsPerMinute` requests on the standby's target group (traffic arriving).
 *
 * Per zone of the standby, a `TakeOver` alarm (either signal, in the last minute) sets the zone's
 * group to `takeoverInstancesPerAz`, and a `StandDown` alarm (neither signal for 15 minutes) sets it
 * back to its floor. Both are metric-math alarms with Auto Scaling actions, which CloudWatch
 * invokes every minute while they stay in ALARM
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html); composite
 * alarms cannot invoke Auto Scaling actions, and an alarm takes at most five actions, hence one
 * pair per zone. A metric that stops (the active tier's load balancer gone) counts as zero healthy
 * hosts.
 *
 * Without `active` (a Region standby: `MultiAzFailoverServiceProps.regionMode`), the other
 * Region's tiers are in another stack and their metrics in another Region (this construct alarms
 * on metrics of its own Region only), so the only signal is requests arriving on the standby: the
 * global records failed over to this Region. Its `StandDown` alarm also needs the zone's group
 * above its floor (`GroupDesiredCapacity`) and lasts 30 minutes, so that it stays OK while the
 * Region idles and does not undo a Region switch plan's capacity step before the plan moves the
 * traffic (an alarm in ALARM would set the floor every minute).
 *
 * After a failover the standby serves at its floor until the new instances pass their health
 * checks: about 1 minute to alarm, 3 to 5 minutes to boot, install and pass the target group's
 * checks (see docs/FAILOVER.md).
 */
export class WarmStandby extends Construct {
  /** Per standby zone: the alarm that scales it up to take over. */
  public readonly takeOverAlarms: cloudwatch.Alarm[];
  /** Per standby zone: the alarm that scales it back to its floor. */
  public readonly standDownAlarms: cloudwatch.Alarm[];

  public constructor(scope: Construct, id: string, props: WarmStandbyProps) {
    super(scope, id);
    validateInteger('takeoverRequestsPerMinute', props.takeoverRequestsPerMinute, 1, 1_000_000);
    const threshold = props.takeoverRequestsPerMinute ?? 1000;
    const minute = Duration.minutes(1);
    const active = props.active;
    const usingMetrics: Record<string, cloudwatch.IMetric> = {
      ...(active
        ? {
            activeHealthy: active.targetGroup.metrics.healthyHostCount({
              period: minute,
              statistic: cloudwatch.Stats.MINIMUM,
            }),
          }
        : {}),
      standbyRequests: props.standby.targetGroup.metrics.requestCount({
        period: minute,
        statistic: cloudwatch.Stats.SUM,
      }),
    };
    const needed = active
      ? `(FILL(activeHealthy, 0) < ${active.minHealthyHosts} OR FILL(standbyRequests, 0) > ${threshold})`
      : `(FILL(standbyRequests, 0) > ${threshold})`;
    const why = active
      ? `The primary has fewer than ${active.minHealthyHosts} healthy hosts, or the standby receives more than ${threshold} requests a minute`
      : `The standby Region receives more than ${threshold} requests a minute on this tier`;
    this.takeOverAlarms = [];
    this.standDownAlarms = [];
    for (const fleet of props.standby.zonalFleets) {
      const zone = new Construct(this, fleet.node.id);
      const group = fleet.autoScalingGroup;
      const takeOver = new autoscaling.StepScalingAction(zone, 'TakeOverAction', {
        autoScalingGroup: group,
        adjustmentType: autoscaling.AdjustmentType.EXACT_CAPACITY,
      });
      takeOver.addAdjustment({ lowerBound: 0, adjustment: props.takeoverInstancesPerAz });
      const standDown = new autoscaling.StepScalingAction(zone, 'StandDownAction', {
        autoScalingGroup: group,
        adjustmentType: autoscaling.AdjustmentType.EXACT_CAPACITY,
      });
      standDown.addAdjustment({ lowerBound: 0, adjustment: fleet.floor });

      const takeOverAlarm = new cloudwatch.Alarm(zone, 'TakeOver', {
        alarmDescription: `${why}: scale ${fleet.availabilityZone} of the standby to ${props.takeoverInstancesPerAz}`,
        metric: new cloudwatch.MathExpression({
          expression: `IF(${needed}, 1, 0)`,
          usingMetrics,
          period: minute,
          label: 'Standby needed',
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      takeOverAlarm.addAlarmAction(new cw_actions.AutoScalingAction(takeOver));
      // A Region standby stands down only while its group is above the floor: an alarm that stayed
      // in ALARM through the idle hours would set the floor again every minute (Auto Scaling
      // actions repeat while the alarm stays in ALARM), undoing a Region switch plan's capacity step
      // that raises the group before traffic arrives. The group's desired capacity (group metrics
      // are on) tells it; 30 minutes leave the plan time to move the traffic.
      const standDownMinutes = active ? STAND_DOWN_MINUTES : REGION_STAND_DOWN_MINUTES;
      const standDownAlarm = new cloudwatch.Alarm(zone, 'StandDown', {
        alarmDescription: active
          ? `Neither signal of a takeover for ${standDownMinutes} minutes: scale ${fleet.availabilityZone} of the standby back to ${fleet.floor}`
          : `Above its floor without traffic for ${standDownMinutes} minutes: scale ${fleet.availabilityZone} of the standby Region back to ${fleet.floor}`,
        metric: new cloudwatch.MathExpression({
          expression: active
            ? `IF(${needed}, 0, 1)`
            : `IF(FILL(desired, ${fleet.floor}) > ${fleet.floor} AND FILL(standbyRequests, 0) <= ${threshold}, 1, 0)`,
          usingMetrics: active
            ? usingMetrics
            : {
                ...usingMetrics,
                desired: new cloudwatch.Metric({
                  namespace: 'AWS/AutoScaling',
                  metricName: 'GroupDesiredCapacity',
                  dimensionsMap: { AutoScalingGroupName: group.autoScalingGroupName },
                  statistic: cloudwatch.Stats.MINIMUM,
                  period: minute,
                }),
              },
          period: minute,
          label: 'Standby idle',
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: standDownMinutes,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      standDownAlarm.addAlarmAction(new cw_actions.AutoScalingAction(standDown));
      this.takeOverAlarms.push(takeOverAlarm);
      this.standDownAlarms.push(standDownAlarm);
    }
  }
}
