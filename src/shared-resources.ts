import { Annotations, ArnFormat, Aws, Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { EgressMode } from './egress-mode';
import {
  validateAccessLogsBucket,
  validateAvailabilityZones,
  validateConcrete,
  validateDays,
  validateEmails,
  validateRetentionWithoutBucket,
} from './private/validate';
import { createAccessLogsBucket } from './shared/access-logs';
import { createZoneKeyedVpc } from './shared/network';
import { WebAclOption } from './web-acl-option';

/**
 * Properties for {@link SharedResources}.
 */
export interface SharedResourcesProps {
  /**
   * The Availability Zones of the VPC this construct creates when `vpc` is not passed. Each
   * zone's subnets are keyed by its name (`eu-west-1a` gives the construct `Vpc/ZoneEuWest1a`
   * and the address range of the letter `a`), so adding, removing or replacing a zone leaves the
   * other zones' subnets, routes and NAT gateways as they are. Tokens (`Fn::GetAZs`) can only be
   * keyed by position.
   */
  readonly availabilityZones: string[];

  /**
   * An existing VPC. The construct adds nothing to it: no VPC endpoints, whatever `egress` is.
   *
   * @default - a new VPC over `availabilityZones`: a public /24 and a private /20 subnet per zone,
   * keyed by zone name, VPC endpoints for the AWS services the instances use, one NAT gateway per
   * zone only with `EgressMode.INTERNET`, flow logs to an encrypted log group kept one year
   */
  readonly vpc?: ec2.IVpc;

  /**
   * How the instances of the new VPC reach outside it. Either way the new VPC gets interface
   * endpoints with private DNS for `ssm`, `ssmmessages`, `ec2messages`, `monitoring`, `logs`,
   * `kms` and `sts` in every zone's private subnet, and an S3 gateway endpoint.
   * `EgressMode.ENDPOINTS_ONLY` creates no NAT gateway: the private subnets have no route off the
   * VPC other than the S3 gateway endpoint's. `EgressMode.INTERNET` adds one NAT gateway and a
   * default route per zone. Pass the same mode to the tiers (`MultiAzFailoverService` does). With
   * `vpc`, nothing is created, and `ENDPOINTS_ONLY` warns
   * (`multi-az-failover-service:ownVpcEndpoints`) that your VPC must provide the endpoints.
   *
   * @default EgressMode.ENDPOINTS_ONLY
   */
  readonly egress?: EgressMode;

  /**
   * An existing customer-managed key. Only a key defined in the same app gets the key-policy
   * statements the construct needs; an imported key must carry them already.
   *
   * @default - a new key with rotation and an alias
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * An existing bucket for load-balancer access logs. It must use SSE-S3 (ALB access logging
   * supports no other encryption): a bucket with an `encryptionKey` is refused.
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
   * An existing topic for alarms and Auto Scaling notifications. It is used as it is: its
   * policy must let `cloudwatch.amazonaws.com` publish (see the README).
   *
   * @default - a new topic encrypted with the key, whose policy lets this account's CloudWatch
   * alarms publish and denies requests without TLS
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

/**
 * What both tiers share: the customer-managed KMS key, the access-log bucket, the alarm topic,
 * the VPC (with its VPC endpoints) and the AWS WAF web ACL. Each is created with secure defaults
 * unless passed in.
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
  /** The ARN of the web ACL for the load balancers; undefined with `WebAclOption.none()`. */
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
    validateAccessLogsBucket('accessLogsBucket', props.accessLogsBucket);
    validateEmails('notificationEmails', props.notificationEmails);

    this.encryptionKey = props.encryptionKey ?? this.createEncryptionKey();
    this.allowAutoScalingToUseKey();
    this.accessLogsBucket = props.accessLogsBucket ?? createAccessLogsBucket(this, props.accessLogRetention);
    this.alarmTopic = props.alarmTopic ?? this.createAlarmTopic();
    for (const email of props.notificationEmails ?? []) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(email));
    }

    const egress = props.egress ?? EgressMode.ENDPOINTS_ONLY;
    if (props.vpc) {
      this.vpc = props.vpc;
      if (egress === EgressMode.ENDPOINTS_ONLY) {
        Annotations.of(this).addWarningV2(
          'multi-az-failover-service:ownVpcEndpoints',
          'With your own `vpc` and `egress: EgressMode.ENDPOINTS_ONLY` the construct creates no VPC endpoints: the VPC must ' +
            'have interface endpoints with private DNS for ssm, ssmmessages, ec2messages, monitoring, logs, kms and sts in ' +
            "the instances' subnets, accepting HTTPS from the VPC's CIDR, and an S3 gateway endpoint in their route tables, " +
            'or the instances cannot register with Systems Manager, ship logs or install packages. The instances may then ' +
            "send HTTPS to the VPC's CIDR and, unless you pass `egressPrefixLists` (the region's S3 prefix list), to any " +
            'IPv4 address: only your VPC\'s routes keep that traffic off the internet. See the README, "Restricted egress".',
        );
      }
    } else {
      validateAvailabilityZones('availabilityZones', props.availabilityZones, Stack.of(this).region);
      this.allowLogsToUseKey();
      this.vpc = createZoneKeyedVpc(this, props.availabilityZones, this.encryptionKey, egress);
    }

    this.webAclArn = (props.webAcl ?? WebAclOption.managedRules())._bind(this, {
      encryptionKey: this.encryptionKey,
      allowLogsToUseKey: () => this.allowLogsToUseKey(),
    });
  }

  private createEncryptionKey(): kms.IKey {
    const key = new kms.Key(this, 'EncryptionKey', {
      description: `Volumes, alarm topic and logs of ${this.node.path}`,
      enableKeyRotation: true,
      // Unique per stack: two deployments of one app under different stack names in one
      // account and region must not claim the same alias (alias names are unique per region).
      alias: `alias/${Aws.STACK_NAME}/${Names.uniqueResourceName(this, { maxLength: 100, separator: '-' })}`,
      // Kept after the stack (it decrypts retained logs), scheduled for deletion when the create
      // that made it fails.
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
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
    return key;
  }

  /**
   * AWS's required key policy for encrypted volumes launched by Auto Scaling: the service-linked
   * role uses the key and creates grants for the EC2 instances it launches
   * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html).
   */
  private allowAutoScalingToUseKey(): void {
    const autoScalingRole = new iam.ArnPrincipal(
      Stack.of(this).formatArn({
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
  }

  /**
   * The alarm topic, encrypted with the key. A topic policy replaces SNS's default policy, so
   * the policy that `enforceSSL` creates (a Deny without TLS) must also allow CloudWatch alarms
   * to publish, or no alarm would ever notify anyone
   * (https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger). Only this
   * account's alarms in this region may publish (aws:SourceAccount, aws:SourceArn). Auto
   * Scaling notifications are published by the Auto Scaling service-linked role of this
   * account, which its own IAM policy allows and no statement here denies.
   */
  private createAlarmTopic(): sns.ITopic {
    const stack = Stack.of(this);
    const topic = new sns.Topic(this, 'AlarmTopic', {
      // Shown as the sender of email notifications: which service this is (at most 100 characters).
      displayName: `Failover alarms of ${this.node.scope?.node.path ?? this.node.path}`.slice(0, 100),
      masterKey: this.encryptionKey,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    // Publishing to an encrypted topic needs the key: the statement of the SNS developer guide
    // ("Enable compatibility between event sources from AWS services and encrypted topics",
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html), without conditions
    // that CloudWatch is not documented to set on its KMS requests; the topic policy above
    // decides which alarms may publish.
    this.addKeyStatement(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToTheEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    return topic;
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

  /**
   * Lets CloudWatch Logs in this region encrypt this account's log groups with the key (once).
   * The regional principal is built with the partition's URL suffix (`amazonaws.com.cn` in China).
   */
  private allowLogsToUseKey(): void {
    if (this.logsMayUseKey) {
      return;
    }
    this.logsMayUseKey = true;
    const stack = Stack.of(this);
    this.addKeyStatement(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsToEncryptFlowLogs',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.${Aws.URL_SUFFIX}`)],
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
}
