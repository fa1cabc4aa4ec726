import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { notify } from './private/notify';
import { validateConcrete, validateInteger, validatePercent, validatePositiveDuration } from './private/validate';

/**
 * Properties for {@link TierAlarms}.
 */
export interface TierAlarmsProps {
  /**
   * The target group whose hosts and response time are watched.
   */
  readonly targetGroup: elbv2.IApplicationTargetGroup;

  /**
   * The load balancer whose 5xx answers and HTTP desync non-compliant requests are watched.
   *
   * @default - no load-balancer alarms
   */
  readonly loadBalancer?: elbv2.IApplicationLoadBalancer;

  /**
   * How many instances the tier runs in total (all Availability Zones). The unhealthy-host
   * threshold is derived from it.
   */
  readonly instanceCount: number;

  /**
   * The unhealthy-host alarm fires when more than this share of the targets are unhealthy
   * (`100 × UnHealthyHostCount / (UnHealthyHostCount + HealthyHostCount)`).
   *
   * @default 50
   */
  readonly unhealthyHostThresholdPercent?: number;

  /**
   * The latency alarm fires when the average `TargetResponseTime` is above this.
   *
   * @default Duration.seconds(1)
   */
  readonly latencyThreshold?: Duration;

  /**
   * Where alarm and OK notifications go.
   *
   * @default - no SNS action
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * More actions for every alarm's ALARM state, in addition to the topic's: for example a
   * `cloudwatch_actions.LambdaAction`, an Incident Manager `SsmIncidentAction` or an
   * `SnsAction` for a PagerDuty or Opsgenie topic.
   *
   * @default - none
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];
}

/**
 * The CloudWatch alarms of one tier: unhealthy hosts above a share of the tier's instances,
 * no healthy host at all, target response time above a threshold, target 5xx answers, and with
 * the load balancer its own 5xx answers and HTTP desync non-compliant requests (security
 * detection). Each alarm notifies the topic when it fires and when it recovers.
 */
export class TierAlarms extends Construct {
  /**
   * The unhealthy targets that `unhealthyHostThresholdPercent` amounts to at full capacity:
   * `instanceCount × unhealthyHostThresholdPercent / 100`. The alarm itself compares the share of
   * unhealthy targets (`100 × unhealthy / (unhealthy + healthy)`) with the percent, so it stays
   * right when the capacity changes.
   */
  public readonly unhealthyHostThreshold: number;

  /** Fires when more than `unhealthyHostThresholdPercent` % of the targets are unhealthy. */
  public readonly unhealthyHostsAlarm: cloudwatch.Alarm;

  /**
   * Fires when the target group has no healthy target, including when it has no registered target
   * (no `HealthyHostCount` is then published, which counts as 0): the tier cannot serve.
   */
  public readonly noHealthyHostsAlarm: cloudwatch.Alarm;

  /** Fires when the average target response time is above the latency threshold. */
  public readonly latencyAlarm: cloudwatch.Alarm;

  /**
   * Security detection (PCI DSS v4.0.1 10.4.1.1, 10.7.2): fires when the load balancer received a
   * request that HTTP desync mitigation classifies as non-compliant (request smuggling attempts;
   * `strictest` mode refuses them). Only with `loadBalancer`.
   */
  public readonly desyncAlarm?: cloudwatch.Alarm;

  /** Fires when the load balancer itself answered 5xx more than 10 times in 5 minutes. Only with `loadBalancer`. */
  public readonly loadBalancer5xxAlarm?: cloudwatch.Alarm;

  /** Fires when the targets answered 5xx more than 10 times in 5 minutes. */
  public readonly target5xxAlarm: cloudwatch.Alarm;

  /** Every alarm of the tier. */
  public readonly all: cloudwatch.Alarm[];

  public constructor(scope: Construct, id: string, props: TierAlarmsProps) {
    super(scope, id);
    validateConcrete('instanceCount', props.instanceCount, 'the unhealthy-host alarm threshold');
    validateConcrete(
      'unhealthyHostThresholdPercent',
      props.unhealthyHostThresholdPercent,
      'the unhealthy-host alarm threshold',
    );
    validateInteger('instanceCount', props.instanceCount, 1, 600);
    validatePercent('unhealthyHostThresholdPercent', props.unhealthyHostThresholdPercent);
    validatePositiveDuration('latencyThreshold', props.latencyThreshold, 3600);

    const percent = props.unhealthyHostThresholdPercent ?? 50;
    const latency = props.latencyThreshold ?? Duration.seconds(1);
    this.unhealthyHostThreshold = (props.instanceCount * percent) / 100;
    const period = Duration.minutes(1);

    // A share, not a count: it stays right when the capacity changes (a zone lost, scaling). An
    // empty tier has no share (with no registered target neither count is published): the IF reads 0 and
    // missing data is not breaching, because NoHealthyHosts is the alarm for an empty tier.
    this.unhealthyHostsAlarm = new cloudwatch.Alarm(this, 'UnhealthyHosts', {
      alarmDescription: `More than ${percent}% of the targets are unhealthy (${this.unhealthyHostThreshold} of ${props.instanceCount} at full capacity)`,
      metric: new cloudwatch.MathExpression({
        expression: 'IF(unhealthy + healthy > 0, 100 * unhealthy / (unhealthy + healthy), 0)',
        usingMetrics: {
          unhealthy: props.targetGroup.metrics.unhealthyHostCount({ period, statistic: cloudwatch.Stats.MAXIMUM }),
          healthy: props.targetGroup.metrics.healthyHostCount({ period, statistic: cloudwatch.Stats.MINIMUM }),
        },
        period,
        label: 'Unhealthy targets (%)',
      }),
      threshold: percent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // A tier with no registered target is the outage this alarm exists for, and it publishes no
    // `HealthyHostCount` ("Reported if there are registered targets",
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html):
    // FILL reads a missing minute as 0 healthy targets, and missing data is breaching too, in case
    // the expression returns no point when its metric has none in the window (unverified). The tier
    // creates it after its Auto Scaling groups have signalled, so a new stack does not page before
    // its first targets register. Not the tier's `HealthAlarm`, which Route 53 reads and which must
    // stay a plain metric alarm.
    this.noHealthyHostsAlarm = new cloudwatch.Alarm(this, 'NoHealthyHosts', {
      alarmDescription: 'The target group has no healthy target, or none registered: this tier cannot serve traffic',
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(healthy, 0)',
        usingMetrics: {
          healthy: props.targetGroup.metrics.healthyHostCount({ period, statistic: cloudwatch.Stats.MINIMUM }),
        },
        period,
        label: 'Healthy targets (0 when none is registered)',
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });

    this.latencyAlarm = new cloudwatch.Alarm(this, 'Latency', {
      alarmDescription: `Average target response time above ${latency.toHumanString()}`,
      metric: props.targetGroup.metrics.targetResponseTime({ period, statistic: cloudwatch.Stats.AVERAGE }),
      threshold: latency.toSeconds({ integral: false }),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const fiveMinutes = Duration.minutes(5);
    this.target5xxAlarm = new cloudwatch.Alarm(this, 'Target5xx', {
      alarmDescription: 'The targets answered 5xx more than 10 times in 5 minutes',
      metric: props.targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
        period: fiveMinutes,
        statistic: cloudwatch.Stats.SUM,
      }),
      threshold: 10,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.loadBalancer) {
      this.loadBalancer5xxAlarm = new cloudwatch.Alarm(this, 'LoadBalancer5xx', {
        alarmDescription: 'The load balancer answered 5xx more than 10 times in 5 minutes',
        metric: props.loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, {
          period: fiveMinutes,
          statistic: cloudwatch.Stats.SUM,
        }),
        threshold: 10,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
      this.desyncAlarm = new cloudwatch.Alarm(this, 'DesyncNonCompliantRequests', {
        alarmDescription:
          'The load balancer received requests that HTTP desync mitigation classifies as non-compliant (possible request smuggling)',
        metric: props.loadBalancer.metrics.custom('DesyncMitigationMode_NonCompliant_Request_Count', {
          period: fiveMinutes,
          statistic: cloudwatch.Stats.SUM,
        }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    this.all = [
      this.unhealthyHostsAlarm,
      this.noHealthyHostsAlarm,
      this.latencyAlarm,
      this.target5xxAlarm,
      ...(this.loadBalancer5xxAlarm ? [this.loadBalancer5xxAlarm] : []),
      ...(this.desyncAlarm ? [this.desyncAlarm] : []),
    ];
    notify(this.all, props.alarmTopic, props.alarmActions);
  }
}
