import { Aws, Names } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The longest name CloudWatch gives an alarm (PutMetricAlarm, PutCompositeAlarm: AlarmName, 255). */
export const MAX_ALARM_NAME_LENGTH = 255;

/** The longest stack name CloudFormation accepts (CreateStack: StackName, 128). */
const MAX_STACK_NAME_LENGTH = 128;

/**
 * The name of an alarm that the construct names itself (composite alarms, which aws-cdk-lib would
 * name after their construct path, shared by two stacks of one app): the stack name first (alarm
 * names are unique per account and region), then the construct's unique name, then `suffix`. The
 * unique name is cut so that the whole name fits 255 characters with the longest stack name.
 */
export function uniqueAlarmName(scope: IConstruct, suffix: string): string {
  const maxLength = MAX_ALARM_NAME_LENGTH - MAX_STACK_NAME_LENGTH - suffix.length - 2;
  return `${Aws.STACK_NAME}-${Names.uniqueResourceName(scope, { maxLength, separator: '-' })}-${suffix}`;
}
