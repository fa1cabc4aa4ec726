import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';

/**
 * How every alarm of the construct tells people: the alarm topic on ALARM and on OK (so that a
 * page also learns when it is over), and the user's extra actions on ALARM only.
 */
export function notify(
  alarms: cloudwatch.AlarmBase[],
  topic: sns.ITopic | undefined,
  actions: cloudwatch.IAlarmAction[] = [],
): void {
  for (const alarm of alarms) {
    if (topic !== undefined) {
      const action = new cw_actions.SnsAction(topic);
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    if (actions.length > 0) {
      alarm.addAlarmAction(...actions);
    }
  }
}

/**
 * A CloudWatch alarm takes at most 5 actions per state ("AlarmActions … Maximum number of 5 items",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html), and
 * every alarm that gets `alarmActions` also notifies the alarm topic when there is one.
 */
export function validateAlarmActions(prop: string, count: number | undefined, withTopic: boolean): void {
  const max = withTopic ? 4 : 5;
  if (count !== undefined && count > max) {
    throw new Error(
      `\`${prop}\` must list at most ${max} actions: a CloudWatch alarm takes 5${withTopic ? ', and one is the alarm topic' : ''}, got: ${count}`,
    );
  }
}
