import { Aws, Duration, Names } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { flowLogFieldNames, VPC_ADDRESS_WILDCARD } from './network';
import { uniqueAlarmName } from '../private/alarm-name';
import { notify } from '../private/notify';

/** The namespace of the metrics that the construct's metric filters publish. */
export const METRIC_NAMESPACE = 'MultiAzFailoverService';

/**
 * The flow-log records of refused egress from the instances: a packet an instance sent
 * (`flow-direction` egress, on an interface whose `instance-id` is set: the load balancers', the
 * NAT gateways' and the endpoints' interfaces have none) to an address outside the VPC, which its
 * security group or the network ACL refused (`action` REJECT)
 * (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html). The instances may send
 * only HTTPS, to the VPC and to S3 (see `tierSecurityGroups`): anything else they try to send out of
 * the VPC is a compromise signal, unlike the internet's scans that the load balancers refuse,
 * which arrive (ingress) on interfaces without an instance. HTTPS to S3 is never refused, so
 * "outside the VPC" is "outside the VPC and S3". Without `egressPrefixLists` the group allows HTTPS
 * to any IPv4 address (S3's addresses are not known at synth) and only the routes drop what is not
 * S3's: such HTTPS is not refused, and the records cannot tell S3's addresses from others (the
 * `pkt-dst-aws-service` field would, but a flow log's format cannot change without replacing it).
 * docs/SECURITY-CONTROLS.md, "Refused egress", states that limit.
 *
 * The pattern names every field of the record format in order (space-delimited, as flow logs
 * write them to CloudWatch Logs); `!=` with a wildcard matches the addresses outside the VPC's
 * 10.0.0.0/16 (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html).
 */
export function refusedEgressPattern(): logs.IFilterPattern {
  const columns = flowLogFieldNames().map((name) => name.replace(/-/g, '_'));
  return logs.FilterPattern.spaceDelimited(...columns)
    .whereString('dstaddr', '!=', VPC_ADDRESS_WILDCARD)
    .whereString('action', '=', 'REJECT')
    .whereString('instance_id', '!=', '-')
    .whereString('flow_direction', '=', 'egress');
}

/**
 * Counts refused egress from the instances in the flow logs (a metric filter, {@link refusedEgressPattern})
 * and alarms on any in 5 minutes (PCI DSS v4.0.1 10.4.1.1, 11.5.1: a compromised host trying to
 * reach the internet, or an AWS service other than S3 and the endpoints). The metric is the
 * stack's own (its name carries the stack name and the construct's unique name): two stacks in
 * one account and Region never share it.
 */
export function refusedEgressAlarm(
  scope: Construct,
  flowLogs: logs.ILogGroup,
  alarmTopic: sns.ITopic,
  alarmActions: cloudwatch.IAlarmAction[] = [],
): cloudwatch.Alarm {
  const metricName = `${Aws.STACK_NAME}-${Names.uniqueResourceName(scope, { maxLength: 100, separator: '-' })}-RefusedEgress`;
  new logs.MetricFilter(scope, 'RefusedEgressFilter', {
    logGroup: flowLogs,
    filterPattern: refusedEgressPattern(),
    metricNamespace: METRIC_NAMESPACE,
    metricName,
    metricValue: '1',
  });
  const alarm = new cloudwatch.Alarm(scope, 'RefusedEgress', {
    alarmName: uniqueAlarmName(scope, 'RefusedEgress'),
    alarmDescription:
      'An instance tried to send traffic out of the VPC that its security group refused (not HTTPS to S3 or the endpoints): a compromise signal. Find it in the flow logs (docs/SECURITY-CONTROLS.md, "Refused egress")',
    metric: new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName,
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(5),
    }),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    // The filter publishes only when a record matches: no data is no refused egress.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  notify([alarm], alarmTopic, alarmActions);
  return alarm;
}
