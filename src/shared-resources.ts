import { Annotations, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { validateDays, validateEmails } from './private/validate';
import { WebAclOption } from './web-acl-option';

/**
 * Properties for {@link SharedResources}.
 */
export interface SharedResourcesProps {
  /**
   * The Availability Zones of the VPC this construct creates when `vpc` is not passed.
   */
  readonly availabilityZones: string[];

  /**
   * An existing VPC.
   *
   * @default - a new VPC over `availabilityZones`: public and private subnets, one NAT gateway
   * per zone, flow logs to an encrypted log group kept one year
   */
  readonly vpc?: ec2.IVpc;

  /**
   * An existing customer-managed key. Only a key defined in the same app gets the key-policy
   * statements the construct needs; an imported key must carry them already.
   *
   * @default - a new key with rotation and an alias
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * An existing bucket for load-balancer access logs (SSE-S3).
   *
   * @default - a new, hardened bucket that keeps logs `accessLogRetention`
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * How long the new access-log bucket keeps logs.
   *
   * @default Duration.days(365)
   */
  readonly accessLogRetention?: Duration;

  /**
   * An existing topic for alarms and Auto Scaling notifications.
   *
   * @default - a new topic encrypted with the key
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Email addresses subscribed to the topic.
   *
   * @default - none
   */
  readonly notificationEmails?: string[];

  /**
   * The AWS WAF web ACL for the load balancers.
   *
   * @default WebAclOption.managedRules()
   */
  readonly webAcl?: WebAclOption;
}

/** The AWS managed rule groups of the web ACL this construct creates, in priority order. */
const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
];

/**
 * What both tiers share: the customer-managed KMS key, the access-log bucket, the alarm topic,
 * the VPC and the AWS WAF web ACL. Each is created with secure defaults unless passed in.
 */
export class SharedResources extends Construct {
  /** The customer-managed key of volumes, topic and flow logs. */
  public readonly encryptionKey: kms.IKey;
  /** The bucket of the load balancers' access logs. */
  public readonly accessLogsBucket: s3.IBucket;
  /** The topic of alarms and Auto Scaling notifications. */
  public readonly alarmTopic: sns.ITopic;
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /**
   * The ARN of the web ACL for the load balancers.
   *
   * @default - none
   */
  public readonly webAclArn?: string;

  public constructor(scope: Construct, id: string, props: SharedResourcesProps) {
    super(scope, id);
    validateDays('accessLogRetention', props.accessLogRetention, 1, 3650);
    validateEmails('notificationEmails', props.notificationEmails);
    const stack = Stack.of(this);

    this.encryptionKey =
      props.encryptionKey ??
      new kms.Key(this, 'EncryptionKey', {
        description: `Volumes, alarm topic and flow logs of ${this.node.path}`,
        enableKeyRotation: true,
        alias: `alias/multi-az-failover/${this.node.addr}`,
      });
    // AWS's required key policy for encrypted volumes launched by Auto Scaling: the service-linked
    // role uses the key and creates grants for the EC2 instances it launches.
    const autoScalingRole = new iam.ArnPrincipal(
      stack.formatArn({
        service: 'iam',
        region: '',
        resource: 'role',
        resourceName: 'aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
      }),
    );
    this.addKeyStatement(
      new iam.PolicyStatement({
        sid: 'AllowAutoScalingServiceLinkedRoleUseOfTheKey',
        principals: [autoScalingRole],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        resources: ['*'],
      }),
    );
    this.addKeyStatement(
      new iam.PolicyStatement({
        sid: 'AllowAutoScalingServiceLinkedRoleAttachmentOfPersistentResources',
        principals: [autoScalingRole],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: { Bool: { 'kms:GrantIsForAWSResource': true } },
      }),
    );

    this.accessLogsBucket = props.accessLogsBucket ?? this.createAccessLogsBucket(props.accessLogRetention);

    if (props.alarmTopic) {
      this.alarmTopic = props.alarmTopic;
    } else {
      this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
        displayName: 'Payment API failover alarms',
        masterKey: this.encryptionKey,
        enforceSSL: true,
      });
      // CloudWatch alarms publish to the encrypted topic.
      this.addKeyStatement(
        new iam.PolicyStatement({
          sid: 'AllowCloudWatchAlarmsToPublishToTheEncryptedTopic',
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
        }),
      );
    }
    for (const email of props.notificationEmails ?? []) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(email));
    }

    this.vpc = props.vpc ?? this.createVpc(props.availabilityZones);

    const webAcl = props.webAcl ?? WebAclOption.managedRules();
    this.webAclArn = webAcl.createManaged ? this.createWebAcl().attrArn : webAcl.webAclArn;
  }

  private addKeyStatement(statement: iam.PolicyStatement): void {
    const { statementAdded } = this.encryptionKey.addToResourcePolicy(statement, true);
    if (!statementAdded) {
      Annotations.of(this).addWarningV2(
        'multi-az-failover-service:importedKeyPolicy',
        `The key policy of the imported \`encryptionKey\` cannot be changed here; make sure it has the statement ${statement.sid}`,
      );
    }
  }

  private createAccessLogsBucket(retention: Duration = Duration.days(365)): s3.IBucket {
    const days = retention.toDays();
    const lifecycleRules: s3.LifecycleRule[] = [
      {
        id: 'RetainLogs',
        // Standard-IA keeps objects at least 30 days and Glacier Flexible Retrieval 90 days:
        // a transition only happens when the object stays there that long before it expires.
        transitions: [
          ...(days >= 60
            ? [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }]
            : []),
          ...(days >= 180 ? [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(90) }] : []),
        ],
        expiration: Duration.days(days),
        noncurrentVersionExpiration: Duration.days(30),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      },
    ];
    const hardened: s3.BucketProps = {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules,
    };
    // Object ownership is left to aws-cdk-lib here: it picks what S3 server access logging needs
    // (a bucket policy, or the log-delivery ACL in apps without the serverAccessLogsUseBucketPolicy flag).
    const serverAccessLogs = new s3.Bucket(this, 'ServerAccessLogsBucket', { ...hardened, objectOwnership: undefined });
    return new s3.Bucket(this, 'AccessLogsBucket', {
      ...hardened,
      serverAccessLogsBucket: serverAccessLogs,
      serverAccessLogsPrefix: 'access-logs-bucket/',
    });
  }

  private createVpc(availabilityZones: string[]): ec2.IVpc {
    const stack = Stack.of(this);
    this.addKeyStatement(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsToEncryptFlowLogs',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: this.encryptionKey,
    });
    return new ec2.Vpc(this, 'Vpc', {
      availabilityZones,
      natGateways: availabilityZones.length,
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
      flowLogs: {
        All: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
    });
  }

  private createWebAcl(): wafv2.CfnWebACL {
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    return new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('PaymentApiWebAcl'),
      rules: MANAGED_RULE_GROUPS.map((name, priority) => ({
        name,
        priority,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
        visibilityConfig: visibility(name),
      })),
    });
  }
}
