import { Aws, Duration, Fn, Names, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { uniqueAlarmName } from './private/alarm-name';
import { HEARTBEAT_INSTANCE_FIELD, HEARTBEAT_SOURCE_FIELD, heartbeatSource } from './private/host-logging';
import { notify } from './private/notify';

/** How often the silence alarm counts, and how many periods in a row a silent host must miss. */
export const LOG_SHIPPING_PERIOD = Duration.minutes(3);
export const LOG_SHIPPING_EVALUATION_PERIODS = 3;

/** What the tier's log-shipping check reads. */
export interface TierLogShippingOptions {
  /** The log group the tier's instances ship their host logs, and their heartbeats, to. */
  readonly hostLogGroup: logs.ILogGroup;
  /** The tier's Auto Scaling groups (one per zone). */
  readonly autoScalingGroups: autoscaling.AutoScalingGroup[];
  /** Where the alarm notifies. */
  readonly alarmTopic?: sns.ITopic;
  /** More actions on ALARM. */
  readonly alarmActions?: cloudwatch.IAlarmAction[];
}

/**
 * Notices a host of the tier that stops shipping its logs (PCI DSS v4.0.1 10.7.2): a stopped
 * CloudWatch agent, rsyslog or auditd (an attacker's `systemctl stop`), a broken endpoint, a full
 * disk. Every instance appends a heartbeat a minute while the three run (see host-logging.ts), and
 * the agent ships it to the host log group. This creates, in `tier`:
 * - `LogShippingRule`, a Contributor Insights rule over the host log group that counts the
 *   heartbeats of this tier (`source`) by instance id: its `UniqueContributors` is the number of
 *   instances whose heartbeat arrived in a period
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContributorInsights-RuleSyntax.html,
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContributorInsights-GraphReportData.html);
 * - `LogShippingAlarm`, which compares it with the instances the tier's groups hold in service
 *   (`GroupInServiceInstances`, the minimum of each period: group metrics are on, every minute,
 *   https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-metrics.html) and fires
 *   when at least one in-service instance sent no heartbeat for 3 periods of 3 minutes in a row.
 *
 * Instances that Auto Scaling launches later are counted without any change: the rule counts
 * whatever instance ids arrive, and the groups count their own instances. An alarm needs fixed
 * metrics, so no alarm per instance could cover them; the count cannot name the silent host
 * either: docs/SECURITY-CONTROLS.md shows how to find it. The hosts need no permission beyond the
 * streams of the host log group.
 */
export function tierLogShipping(tier: Construct, options: TierLogShippingOptions): cloudwatch.Alarm {
  const source = heartbeatSource(tier);
  const rule = new cloudwatch.CfnInsightRule(tier, 'LogShippingRule', {
    // Unique per account and Region (rule names are): the tier's unique name and the stack id.
    ruleName: `${Names.uniqueResourceName(tier, { maxLength: 80, separator: '-' })}-${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`,
    ruleState: 'ENABLED',
    ruleBody: Stack.of(tier).toJsonString({
      Schema: { Name: 'CloudWatchLogRule', Version: 1 },
      LogGroupNames: [options.hostLogGroup.logGroupName],
      LogFormat: 'JSON',
      Contribution: {
        Keys: [`$.${HEARTBEAT_INSTANCE_FIELD}`],
        Filters: [{ Match: `$.${HEARTBEAT_SOURCE_FIELD}`, In: [source] }],
      },
      AggregateOn: 'Count',
    }),
  });
  const period = LOG_SHIPPING_PERIOD;
  const inService: Record<string, cloudwatch.IMetric> = {};
  options.autoScalingGroups.forEach((group, index) => {
    inService[`inservice${index}`] = new cloudwatch.Metric({
      namespace: 'AWS/AutoScaling',
      metricName: 'GroupInServiceInstances',
      dimensionsMap: { AutoScalingGroupName: group.autoScalingGroupName },
      statistic: cloudwatch.Stats.MINIMUM,
      period,
    });
  });
  const shipping = new cloudwatch.MathExpression({
    expression: `INSIGHT_RULE_METRIC('${rule.attrRuleName}', 'UniqueContributors')`,
    usingMetrics: {},
    period,
    label: 'Instances whose heartbeat arrived',
  });
  const alarm = new cloudwatch.Alarm(tier, 'LogShippingAlarm', {
    alarmName: uniqueAlarmName(tier, 'HostLogShipping'),
    alarmDescription:
      'An in-service instance of this tier sent no log-shipping heartbeat for 9 minutes: its CloudWatch agent, rsyslog or auditd stopped, or its logs cannot leave it. Find it: docs/SECURITY-CONTROLS.md, "Silent hosts"',
    metric: new cloudwatch.MathExpression({
      expression: `${Object.keys(inService).join(' + ')} - FILL(shipping, 0)`,
      usingMetrics: { ...inService, shipping },
      period,
      label: 'In-service instances without a heartbeat',
    }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: LOG_SHIPPING_EVALUATION_PERIODS,
    // No data means no group metrics (turned off): the count cannot be made, which is breaching.
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  // INSIGHT_RULE_METRIC reads no metric from which the alarm could take its period: the
  // expression names its own, as a Metrics Insights query in an alarm does (aws-cdk-lib renders no
  // Period for expressions; that CloudWatch needs one here is unverified).
  const cfnAlarm = alarm.node.defaultChild as cloudwatch.CfnAlarm;
  const queries = Stack.of(tier).resolve(cfnAlarm.metrics) as Array<{ id: string }>;
  cfnAlarm.addPropertyOverride(
    `Metrics.${queries.findIndex((query) => query.id === 'shipping')}.Period`,
    period.toSeconds(),
  );
  notify([alarm], options.alarmTopic, options.alarmActions);
  return alarm;
}
