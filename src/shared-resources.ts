import { Annotations, ArnFormat, Duration, Names, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { acknowledge, compliancePacks, controlTower } from './private/acknowledge';
import { validateConcrete, validateDays, validateEmails, validateRetentionWithoutBucket } from './private/validate';
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

  private logsMayUseKey = false;

  public constructor(scope: Construct, id: string, props: SharedResourcesProps) {
    super(scope, id);
    // S3 server access logs are delivered under a bucket policy, never the legacy log-delivery
    // ACL, whatever the app's feature flags: the target bucket can then disable ACLs.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    validateConcrete('accessLogRetention', props.accessLogRetention, 'the lifecycle transitions');
    validateDays('accessLogRetention', props.accessLogRetention, 1, 3650);
    validateRetentionWithoutBucket(props.accessLogRetention, props.accessLogsBucket);
    validateEmails('notificationEmails', props.notificationEmails);
    const stack = Stack.of(this);

    if (props.encryptionKey) {
      this.encryptionKey = props.encryptionKey;
    } else {
      const key = new kms.Key(this, 'EncryptionKey', {
        description: `Volumes, alarm topic and logs of ${this.node.path}`,
        enableKeyRotation: true,
        alias: `alias/multi-az-failover/${this.node.addr}`,
      });
      // Grants only for AWS resources (EBS volumes launched by Auto Scaling), never ad hoc.
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'DenyGrantsNotForAwsResources',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['kms:CreateGrant'],
          resources: ['*'],
          conditions: {
            BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
          },
        }),
      );
      this.encryptionKey = key;
    }
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
    const serverAccessLogs = new s3.Bucket(this, 'ServerAccessLogsBucket', hardened);
    const accessLogs = new s3.Bucket(this, 'AccessLogsBucket', {
      ...hardened,
      serverAccessLogsBucket: serverAccessLogs,
      serverAccessLogsPrefix: 'access-logs-bucket/',
    });
    for (const bucket of [accessLogs, serverAccessLogs]) {
      const resource = bucket.node.defaultChild!;
      acknowledge(
        resource,
        [...compliancePacks('S3DefaultEncryptionKMS'), controlTower('s3_bucket_default_encryption_kms_check')],
        'ALB access logging and S3 server access logging only deliver to buckets encrypted with SSE-S3 (AES-256); SSE-KMS is not supported for these log destinations',
      );
      acknowledge(
        resource,
        compliancePacks('S3BucketReplicationEnabled'),
        'The construct is single-region; cross-region replication needs a destination bucket in another region. Pass your own accessLogsBucket with replication to meet it',
      );
      acknowledge(
        resource,
        [controlTower('s3_bucket_object_lock_enabled_check')],
        'Object Lock default retention is not supported on S3 server access logging target buckets and is left to the owner of the log archive; logs are versioned, TLS-only and kept by lifecycle. Pass your own accessLogsBucket with Object Lock to meet it',
      );
    }
    acknowledge(
      accessLogs.node.defaultChild!,
      [controlTower('s3_event_notifications_enabled_check')],
      'Only AWS log delivery writes here. S3 event notifications in CDK need a Lambda-backed custom resource, which this construct avoids; the log archive owner can add them on their own bucket',
    );
    acknowledge(
      serverAccessLogs.node.defaultChild!,
      [controlTower('s3_event_notifications_enabled_check')],
      'Only S3 server access log delivery writes here; see the access-log bucket',
    );
    acknowledge(
      serverAccessLogs.node.defaultChild!,
      [controlTower('s3_bucket_logging_enabled_check')],
      'This bucket is the server access logging target of the access-log bucket; logging it into itself would loop',
    );
    return accessLogs;
  }

  /** Lets CloudWatch Logs in this region encrypt this account's log groups with the key (once). */
  private allowLogsToUseKey(): void {
    if (this.logsMayUseKey) {
      return;
    }
    this.logsMayUseKey = true;
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
  }

  private createVpc(availabilityZones: string[]): ec2.IVpc {
    this.allowLogsToUseKey();
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: this.encryptionKey,
    });
    // The delivery role gets a customer-managed policy scoped to this log group, not an inline one.
    const flowLogsRole = new iam.Role(this, 'FlowLogsRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com'),
      description: 'Delivers VPC flow logs to their encrypted log group',
    });
    new iam.ManagedPolicy(this, 'FlowLogsPolicy', {
      description: 'Write VPC flow logs to their log group',
      roles: [flowLogsRole],
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [flowLogs.logGroupArn],
        }),
      ],
    });
    const vpc = new ec2.Vpc(this, 'Vpc', {
      availabilityZones,
      natGateways: availabilityZones.length,
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
      flowLogs: {
        All: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs, flowLogsRole.withoutPolicyUpdates()),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
    });
    acknowledge(
      vpc.node.defaultChild!,
      compliancePacks('VPCDefaultSecurityGroupClosed'),
      'No resource of this construct uses the default security group: the load balancers and instances have their own least-privilege groups. Closing it needs a Lambda-backed custom resource, which this construct avoids',
    );
    for (const subnet of vpc.publicSubnets) {
      const route = subnet.node.tryFindChild('DefaultRoute');
      if (route) {
        acknowledge(
          route,
          compliancePacks('VPCNoUnrestrictedRouteToIGW'),
          'Public subnets hold only the internet-facing load balancers and the NAT gateways, which need a default route to the internet gateway; instances run in private subnets',
        );
      }
    }
    return vpc;
  }

  private createWebAcl(): wafv2.CfnWebACL {
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    const webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
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

    // WAF logs go to an encrypted log group kept one year; WAF requires the aws-waf-logs- prefix,
    // so this log group has a physical name derived from the construct's unique address.
    this.allowLogsToUseKey();
    const logGroupName = `aws-waf-logs-${Names.uniqueResourceName(this, { maxLength: 400, separator: '-' })}`;
    const wafLogs = new logs.LogGroup(this, 'WebAclLogs', {
      logGroupName,
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: this.encryptionKey,
    });
    const logging = new wafv2.CfnLoggingConfiguration(this, 'WebAclLogging', {
      resourceArn: webAcl.attrArn,
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      // Card-holder requests carry credentials: keep them out of the logs.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
    });
    logging.node.addDependency(wafLogs);
    return webAcl;
  }
}
