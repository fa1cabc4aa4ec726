import { Annotations, Aws, Lazy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * The detail type of the management events that CloudTrail delivers to EventBridge: only with a
 * trail that logs management events, only in the Region of the call, and never for read-only
 * calls (Get, List, Describe)
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/event-types.html: "a CloudTrail trail with
 * logging enabled is required"; read-only events only for rules in the state
 * ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS).
 */
export const CLOUDTRAIL_API_CALL = 'AWS API Call via CloudTrail';

/** What the tampering rules watch. */
export interface TamperDetectionProps {
  /** Where the rules notify. */
  readonly topic: sns.ITopic;
  /** The keys whose disabling, deletion or re-policy is noticed. */
  readonly keys: kms.IKey[];
  /** The log buckets whose policy, lifecycle, versioning or Object Lock change is noticed. */
  readonly buckets: s3.IBucket[];
  /** Name prefixes of the audit log groups whose retention, deletion protection or deletion is noticed. */
  readonly logGroupNamePrefixes: string[];
  /** The Session documents whose change or deletion is noticed (none without session logging). */
  readonly sessionDocumentNames: string[];
}

/** A rule: its construct id, the event source, the API calls, and the request parameters to match. */
interface Watch {
  readonly id: string;
  readonly description: string;
  readonly source: string;
  readonly eventNames: string[];
  readonly detail?: { [key: string]: unknown };
}

/**
 * EventBridge rules on the management events that turn off a security control of the construct
 * (PCI DSS v4.0.1 10.7.2, 11.5.2): each one notifies the alarm topic. The topic policy lets
 * EventBridge publish only for these rules (`aws:SourceArn`,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions).
 */
export class TamperDetection extends Construct {
  /** The rules, one per control. */
  public readonly rules: events.Rule[] = [];
  private readonly loadBalancerArns: string[] = [];
  private readonly refreshedGroupNames: string[] = [];
  private readonly topic: sns.ITopic;

  public constructor(scope: Construct, id: string, props: TamperDetectionProps) {
    super(scope, id);
    const watches: Watch[] = [
      {
        id: 'WebAclTampering',
        description: 'A web ACL was disassociated or deleted, or its logging removed',
        source: 'aws.wafv2',
        eventNames: ['DisassociateWebACL', 'DeleteWebACL', 'DeleteLoggingConfiguration'],
      },
      {
        id: 'FlowLogTampering',
        description: 'VPC flow logs were deleted',
        source: 'aws.ec2',
        eventNames: ['DeleteFlowLogs'],
      },
      {
        id: 'KeyTampering',
        description: 'A key of the service was disabled, scheduled for deletion, re-policied or lost its rotation',
        source: 'aws.kms',
        eventNames: ['DisableKey', 'ScheduleKeyDeletion', 'PutKeyPolicy', 'DisableKeyRotation'],
        // These four calls take a key id or key ARN, never an alias
        // (https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html).
        detail: { requestParameters: { keyId: props.keys.flatMap((key) => [key.keyId, key.keyArn]) } },
      },
      {
        id: 'LogBucketTampering',
        description: "The policy, lifecycle, versioning or Object Lock of the service's log bucket changed",
        source: 'aws.s3',
        // CloudTrail's names for PutBucketLifecycleConfiguration and DeleteBucketLifecycle
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html).
        eventNames: [
          'PutBucketPolicy',
          'DeleteBucketPolicy',
          'PutBucketLifecycle',
          'DeleteBucketLifecycle',
          'PutBucketVersioning',
          'PutObjectLockConfiguration',
        ],
        detail: { requestParameters: { bucketName: props.buckets.map((bucket) => bucket.bucketName) } },
      },
      {
        id: 'LogGroupTampering',
        description:
          "The retention or deletion protection of the service's audit log groups changed, or one was deleted",
        source: 'aws.logs',
        eventNames: ['PutRetentionPolicy', 'DeleteRetentionPolicy', 'PutLogGroupDeletionProtection', 'DeleteLogGroup'],
        // PutLogGroupDeletionProtection names the group `logGroupIdentifier` (name or ARN)
        // (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogGroupDeletionProtection.html).
        detail: {
          $or: [
            { requestParameters: { logGroupName: props.logGroupNamePrefixes.map((prefix) => ({ prefix })) } },
            {
              requestParameters: {
                logGroupIdentifier: props.logGroupNamePrefixes.flatMap((prefix) => [
                  { prefix },
                  { wildcard: `arn:${Aws.PARTITION}:logs:*:*:log-group:${prefix}*` },
                ]),
              },
            },
          ],
        },
      },
    ];
    if (props.sessionDocumentNames.length > 0) {
      watches.push({
        id: 'SessionDocumentTampering',
        description: 'The Session document that logs operator sessions changed or was deleted',
        source: 'aws.ssm',
        eventNames: ['UpdateDocument', 'UpdateDocumentDefaultVersion', 'DeleteDocument'],
        detail: { requestParameters: { name: props.sessionDocumentNames } },
      });
    }
    this.topic = props.topic;
    for (const watch of watches) {
      this.addRule(watch);
    }
    const { statementAdded } = props.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowTamperDetectionRulesToPublish',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [props.topic.topicArn],
        conditions: {
          ArnEquals: { 'aws:SourceArn': Lazy.list({ produce: () => this.rules.map((rule) => rule.ruleArn) }) },
        },
      }),
    );
    // An imported topic's policy is not the stack's to change: unless it already lets EventBridge
    // publish (and its key, if any, lets EventBridge use it), the rules deliver nothing, silently
    // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions).
    if (!statementAdded) {
      Annotations.of(this).addWarningV2(
        'multi-az-failover-service:tamperEventsUndelivered',
        "The alarm topic is imported, so its policy cannot be changed here: the tamper-detection rules publish to it only if its policy allows events.amazonaws.com (aws:SourceArn: this stack's rules) and its KMS key, if any, lets EventBridge use it. See docs/SECURITY-CONTROLS.md.",
      );
    }
  }

  /** Also notices attribute changes of these load balancers (their access logs among them). */
  public watchLoadBalancers(arns: string[]): void {
    if (this.loadBalancerArns.length === 0) {
      this.addRule({
        id: 'LoadBalancerLogTampering',
        description: "The attributes (access logs among them) of the service's load balancers changed",
        source: 'aws.elasticloadbalancing',
        eventNames: ['ModifyLoadBalancerAttributes'],
        detail: { requestParameters: { loadBalancerArn: Lazy.list({ produce: () => this.loadBalancerArns }) } },
      });
    }
    this.loadBalancerArns.push(...arns);
  }

  /**
   * Also notices instance refreshes of these groups that fail or whose rollback fails: a scheduled
   * image refresh has no stack update to fail, so nothing else would tell (PCI DSS v4.0.1 6.3.3).
   * Auto Scaling sends these events to EventBridge itself, best effort, without CloudTrail
   * (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-autoscaling.html,
   * https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-eventbridge-events.html).
   */
  public watchInstanceRefreshes(groupNames: string[]): void {
    if (this.refreshedGroupNames.length === 0) {
      const names = this.refreshedGroupNames;
      this.rules.push(
        new events.Rule(this, 'InstanceRefreshFailed', {
          description: "An instance refresh of the service's groups (a release or a scheduled image refresh) failed",
          eventPattern: {
            source: ['aws.autoscaling'],
            detailType: [
              'EC2 Auto Scaling Instance Refresh Failed',
              'EC2 Auto Scaling Instance Refresh Rollback Failed',
            ],
            detail: { AutoScalingGroupName: Lazy.list({ produce: () => names }) },
          },
          targets: [{ bind: () => ({ arn: this.topic.topicArn }) }],
        }),
      );
    }
    this.refreshedGroupNames.push(...groupNames);
  }

  private addRule(watch: Watch): void {
    const topic = this.topic;
    this.rules.push(
      new events.Rule(this, watch.id, {
        description: watch.description,
        eventPattern: {
          source: [watch.source],
          detailType: [CLOUDTRAIL_API_CALL],
          detail: {
            eventSource: [`${watch.source.slice('aws.'.length)}.amazonaws.com`],
            eventName: watch.eventNames,
            ...watch.detail,
          },
        },
        targets: [{ bind: () => ({ arn: topic.topicArn }) }],
      }),
    );
  }
}
