import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { notify, validateAlarmActions } from './private/notify';

/** The only region where Route 53 publishes health-check metrics. */
const ROUTE53_METRICS_REGION = 'us-east-1';

/**
 * Properties for {@link HealthCheckAlarm}.
 */
export interface HealthCheckAlarmProps {
  /** The Route 53 health check to watch, for example a tier's `routingHealthCheck`. */
  readonly healthCheck: route53.IHealthCheck;

  /** What the health check's failure means, for the alarm description. */
  readonly description: string;

  /**
   * Where ALARM and OK notifications go. A topic in another region cannot be an alarm action:
   * use a topic in us-east-1.
   *
   * @default - no action
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * More actions on ALARM, for example an `SnsAction` for a PagerDuty or Opsgenie topic in
   * us-east-1. A CloudWatch alarm takes at most 5 actions per state: at most 4 beside
   * `alarmTopic`.
   *
   * @default - only `alarmTopic`
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];
}

/**
 * An alarm on a Route 53 health check's status, so that a person learns that DNS has failed over
 * (the primary's routing check is unhealthy) or that the record name itself does not answer.
 * Route 53 publishes health-check metrics only in us-east-1
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html), and a
 * CloudWatch alarm watches metrics of its own region, so this construct must be in a us-east-1
 * stack. `MultiAzFailoverService` creates its alarms itself when its stack is in us-east-1; in
 * another region, add one to a us-east-1 stack of the same app, passing the health check across
 * regions (`crossRegionReferences: true` on both stacks).
 */
export class HealthCheckAlarm extends Construct {
  /** The alarm: fires when the health check has been unhealthy for a minute. */
  public readonly alarm: cloudwatch.Alarm;

  public constructor(scope: Construct, id: string, props: HealthCheckAlarmProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && region !== ROUTE53_METRICS_REGION) {
      throw new Error(
        `\`HealthCheckAlarm\` must be in a us-east-1 stack (Route 53 publishes health-check metrics only there), got: a stack in ${region}`,
      );
    }
    validateAlarmActions('alarmActions', props.alarmActions?.length, props.alarmTopic !== undefined);
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmDescription: props.description,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/Route53',
        metricName: 'HealthCheckStatus',
        dimensionsMap: { HealthCheckId: props.healthCheck.healthCheckId },
        statistic: cloudwatch.Stats.MINIMUM,
        period: Duration.minutes(1),
        region: ROUTE53_METRICS_REGION,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    notify([this.alarm], props.alarmTopic, props.alarmActions);
  }
}
