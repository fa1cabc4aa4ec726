import { ArnFormat, Aws, Duration, Fn, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { notify } from '../private/notify';

/**
 * The log groups of audit data that the shared resources create: flow logs, the instances' host
 * logs and Session Manager sessions. Each is
 * - encrypted with the logs key, whose policy lets CloudWatch Logs use it only for log groups
 *   under {@link auditLogGroupPrefix} (and the WAF log group);
 * - named `/<stack name>/<construct>/<purpose>/<stack id>`: the key policy can name them before
 *   they exist (generated names would make the key and the log groups depend on each other), and
 *   the stack id, new for every created stack, keeps a retry after a failed create, or a new stack
 *   of the same name after `cdk destroy`, from colliding with a kept log group;
 * - kept (RETAIN, also when a first create fails: deletion protection, below, would make that
 *   deletion fail and the rollback end in ROLLBACK_FAILED) and protected from deletion
 *   (`DeletionProtectionEnabled`: DeleteLogGroup fails until someone turns it off, PCI DSS v4.0.1
 *   10.3.2, 10.5.1).
 * The name's prefix is that of `prefixOwner` (by default `scope`): a part of the service that
 * creates its log group in its own scope names it under the shared resources' prefix.
 */
export function createAuditLogGroup(
  scope: Construct,
  id: string,
  purpose: string,
  encryptionKey: kms.IKey,
  retentionDays: number,
  prefixOwner: Construct = scope,
): logs.LogGroup {
  return new logs.LogGroup(scope, id, {
    logGroupName: `${auditLogGroupPrefix(prefixOwner)}${purpose}/${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`,
    encryptionKey,
    retention: retentionAtLeast(retentionDays),
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtectionEnabled: true,
  });
}

/** `/<stack name>/<unique name of scope>/`: the name prefix of every log group of {@link createAuditLogGroup}. */
export function auditLogGroupPrefix(scope: Construct): string {
  return `/${Aws.STACK_NAME}/${Names.uniqueResourceName(scope, { maxLength: 100, separator: '-' })}/`;
}

/** The ARN (as in the `aws:logs:arn` encryption context) of a log group name or name pattern. */
export function logGroupArn(scope: Construct, name: string): string {
  return Stack.of(scope).formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: name,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** The retention periods CloudWatch Logs accepts, in days. */
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** The shortest retention CloudWatch Logs accepts that keeps logs at least `days` (at most 3653). */
export function retentionAtLeast(days: number): logs.RetentionDays {
  return (RETENTION_DAYS.find((allowed) => allowed >= days) ?? 3653) as logs.RetentionDays;
}

/** The idle timeout of a Session Manager session, in minutes (PCI DSS v4.0.1 8.2.8: at most 15). */
export const SESSION_IDLE_TIMEOUT_MINUTES = 15;

/**
 * The name of the Session document from which Session Manager reads the account's default
 * preferences in a region. Systems Manager creates it "when you configure Session Manager for your
 * AWS account or when you change session preferences in the Systems Manager console"
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-default-session-document.html):
 * it belongs to the account, not to a stack.
 */
export const ACCOUNT_SESSION_DOCUMENT = 'SSM-SessionManagerRunShell';

/**
 * A Session document (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-schema.html)
 * that logs every session, streamed, to `logGroup` (encrypted), encrypts the session data with
 * `key` and closes sessions idle for 15 minutes. Operators start sessions with it by name
 * (`aws ssm start-session --document-name`).
 *
 * Without `name`, the document is the stack's own: `Sessions-<construct>-<stack id>`, unique per
 * stack instance (no collision with another stack, or with a retry after a failed create) and
 * starting with a prefix that AWS does not reserve (document names must not start with `aws`,
 * `amazon` or `amzn`, which a stack name may). With `name` ({@link ACCOUNT_SESSION_DOCUMENT}), it
 * is the account's default preferences in this region.
 *
 * It is updated by a new version (`UpdateMethod: NewVersion`): replacing a document of a fixed name
 * would create the new one before deleting the old one, and fail on the name.
 */
export function createSessionDocument(
  scope: Construct,
  id: string,
  logGroup: logs.ILogGroup,
  key: kms.IKey,
  name?: string,
): ssm.CfnDocument {
  return new ssm.CfnDocument(scope, id, {
    name:
      name ??
      `Sessions-${Names.uniqueResourceName(scope, { maxLength: 60, separator: '-' })}-${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`,
    documentType: 'Session',
    documentFormat: 'JSON',
    updateMethod: 'NewVersion',
    content: {
      schemaVersion: '1.0',
      description: 'Session Manager sessions logged to an encrypted log group and encrypted with KMS',
      sessionType: 'Standard_Stream',
      inputs: {
        s3BucketName: '',
        s3KeyPrefix: '',
        s3EncryptionEnabled: true,
        cloudWatchLogGroupName: logGroup.logGroupName,
        cloudWatchEncryptionEnabled: true,
        cloudWatchStreamingEnabled: true,
        kmsKeyId: key.keyId,
        idleSessionTimeout: String(SESSION_IDLE_TIMEOUT_MINUTES),
        // Run As: each session runs as the OS user named by the operator's `SSMSessionRunAs`
        // principal tag; with no default user, a principal without the tag gets no session, and
        // Session Manager never falls back on the shared `ssm-user`
        // (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-preferences-run-as.html;
        // both are inputs of any Standard_Stream Session document,
        // https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-schema.html).
        runAsEnabled: true,
        runAsDefaultUser: '',
        shellProfile: { linux: '', windows: '' },
      },
    },
  });
}

/**
 * Detects a log delivery that stopped (PCI DSS v4.0.1 10.7.2: failures of critical security
 * controls are detected): CloudWatch Logs publishes `IncomingLogEvents` for a log group only while
 * events arrive (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatch-Logs-Monitoring-CloudWatch-Metrics.html),
 * so an hour without a data point, treated as breaching, means nothing was delivered: the flow
 * log, or every instance's CloudWatch agent, stopped.
 */
export function logSilenceAlarm(
  scope: Construct,
  id: string,
  logGroup: logs.ILogGroup,
  what: string,
  alarmTopic: sns.ITopic,
  alarmActions: cloudwatch.IAlarmAction[] = [],
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmDescription: `No ${what} arrived in an hour: their delivery stopped`,
    metric: new cloudwatch.Metric({
      namespace: 'AWS/Logs',
      metricName: 'IncomingLogEvents',
      dimensionsMap: { LogGroupName: logGroup.logGroupName },
      statistic: cloudwatch.Stats.SUM,
      period: Duration.hours(1),
    }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  notify([alarm], alarmTopic, alarmActions);
  return alarm;
}
