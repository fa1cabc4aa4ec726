import { Annotations, ArnFormat, Aws, Duration, Lazy, Names, Resource, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { EgressMode } from './egress-mode';
import { OperatorMfa } from './operator-mfa';
import { validateAlarmActions } from './private/notify';
import {
  validateAccessLogsBucket,
  validateAdditionalEndpoints,
  validateAvailabilityZones,
  validateConcrete,
  validateDays,
  validateEmails,
  validateOperatorUsers,
  validateRetentionWithoutBucket,
} from './private/validate';
import { SessionLogDestination } from './session-log-destination';
import { createAccessLogsBucket } from './shared/access-logs';
import {
  auditLogGroupPrefix,
  createAuditLogGroup,
  ACCOUNT_SESSION_DOCUMENT,
  createSessionDocument,
  logGroupArn,
  logSilenceAlarm,
} from './shared/audit-logs';
import { addDnsFirewall } from './shared/dns-firewall';
import { refusedEgressAlarm } from './shared/egress-detection';
import { INTERFACE_ENDPOINTS, interfaceEndpointNames } from './shared/endpoints';
import { createGuardedKey } from './shared/keys';
import { createZoneKeyedVpc } from './shared/network';
import { OperatorAccess } from './shared/operator-access';
import { TamperDetection } from './shared/tamper-detection';
import { WebAclOption } from './web-acl-option';

/** The path and name of EC2 Auto Scaling's default service-linked role. */
const AUTO_SCALING_SERVICE_LINKED_ROLE = 'aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling';

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
   * endpoints with private DNS for the AWS services the default hosts call (docs/NETWORK.md lists
   * them, with what calls each) and `additionalEndpoints`, in every zone's private subnet, and an
   * S3 gateway endpoint. `EgressMode.ENDPOINTS_ONLY` creates no NAT
   * gateway: the private subnets have no route off the VPC other than the S3 gateway endpoint's.
   * `EgressMode.INTERNET` adds one NAT gateway and a default route per zone. Pass the same mode to
   * the tiers (`MultiAzFailoverService` does). With `vpc`, nothing is created, and
   * `ENDPOINTS_ONLY` warns (`multi-az-failover-service:ownVpcEndpoints`) that your VPC must
   * provide the endpoints.
   *
   * @default EgressMode.ENDPOINTS_ONLY
   */
  readonly egress?: EgressMode;

  /**
   * Interface endpoints that your application calls, added to the new VPC beside the ones the
   * default hosts need (with `EgressMode.ENDPOINTS_ONLY` they are its only way to those services):
   * for example `InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING` for custom metrics,
   * `STS` for assuming roles, `SECRETS_MANAGER` for secrets. Each is `Vpc/<Name>Endpoint`
   * (`monitoring` gives `MonitoringEndpoint`). Each costs about $7.30 a month per zone plus data
   * processed. Refused with `vpc`, which gets no endpoints from the construct.
   *
   * @default - none
   */
  readonly additionalEndpoints?: ec2.InterfaceVpcEndpointAwsService[];

  /**
   * Your application's S3 buckets that the instances may use through the new VPC's S3 gateway
   * endpoint, with this account's credentials. The endpoint's policy allows reads of the AWS-owned
   * buckets the hosts need (the Amazon Linux 2023 repositories of the Region and Systems Manager's
   * buckets, listed in docs/NETWORK.md) and these buckets, and refuses every other bucket, this
   * account's others included (PCI DSS v4.0.1 1.3.2). The gateway endpoint carries all S3 traffic
   * of the Region from the private subnets, also under `EgressMode.INTERNET`. Refused with `vpc`,
   * which gets no endpoints from the construct.
   *
   * @default - none: the instances reach only the AWS-owned buckets
   */
  readonly egressBuckets?: s3.IBucket[];

  /**
   * A Route 53 Resolver DNS Firewall rule group on the new VPC that answers only the names the
   * hosts need (AWS's `*.amazonaws.com`, EC2's private host names, the VPC's reverse lookups) and
   * blocks every other query with NXDOMAIN, so that a host cannot send data out in DNS queries
   * (docs/NETWORK.md lists the names; about $0.60 per million queries, unverified). Associated
   * at priority 9900, the last a rule group may take, so that rule groups you associate with the
   * VPC (an allow-list of your private hosted zones' names, say) are evaluated first. Refused as
   * `true` with `vpc` (the construct never associates it with your own VPC) and under
   * `EgressMode.INTERNET` (the instances call third parties by name).
   *
   * @default - true in a VPC the construct creates with `EgressMode.ENDPOINTS_ONLY`, else false
   */
  readonly dnsFirewall?: boolean;

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
   * More actions on ALARM for the alarms this construct creates (host and flow log delivery, AWS
   * WAF blocked requests), for example an `SnsAction` for a PagerDuty or Opsgenie topic. Pass the
   * same actions as the tiers' `alarmActions` (`MultiAzFailoverService` forwards them). A
   * CloudWatch alarm takes at most 5 actions per state: at most 4 beside the alarm topic.
   *
   * Without `notificationEmails`, `alarmActions` or a subscription to the topic, synth warns
   * (`multi-az-failover-service:alarmsUndelivered`): the security alarms would reach nobody.
   *
   * @default - only the alarm topic
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];

  /**
   * The AWS WAF web ACL for the load balancers.
   *
   * @default WebAclOption.managedRules()
   */
  readonly webAcl?: WebAclOption;

  /**
   * An existing customer-managed key for the log groups (flow logs, AWS WAF logs, host logs,
   * Session Manager logs) and for Session Manager's session encryption: audit data under a key of
   * its own, apart from the key of volumes and topic (PCI DSS v4.0.1 3.6.1). Only a key defined in
   * the same app gets the statements CloudWatch Logs needs.
   *
   * @default - a new key with rotation, an alias and the same guard rails as `encryptionKey`
   */
  readonly logsEncryptionKey?: kms.IKey;

  /**
   * The break-glass role that may schedule deletion of, disable or re-policy the keys this
   * construct creates. The key policies deny those actions to every other principal, whatever
   * their IAM permissions, except the stack's CloudFormation execution role (the CDK bootstrap's
   * `cdk-<qualifier>-cfn-exec-role`), which creates and updates the keys.
   *
   * @default - only the CloudFormation execution role; with a synthesizer other than
   * `DefaultStackSynthesizer` the Deny is left out, with a warning
   */
  readonly keyAdminRole?: iam.IRole;

  /**
   * The break-glass role that may delete access logs before their retention ends (with
   * `s3:BypassGovernanceRetention`) and change the access-log bucket's policy, lifecycle,
   * versioning and Object Lock configuration. The bucket policy denies all of that to every other
   * principal, except the stack's CloudFormation execution role for the configuration changes.
   *
   * @default - nobody may delete logs early; configuration changes only through the stack
   */
  readonly logAdminRole?: iam.IRole;

  /**
   * Log Session Manager sessions: a Session document of the stack's own (`Sessions-<construct>-<stack
   * id>`, `Standard_Stream`) streams every session to an encrypted log group kept
   * `accessLogRetention`, encrypts session data with the logs key and ends sessions idle for 15
   * minutes (PCI DSS v4.0.1 10.2.1, 8.2.8); `operatorPolicy` lets operators start sessions only
   * with it. The account's own Session Manager preferences are left alone (see
   * `accountSessionPreferences`).
   *
   * @default true
   */
  readonly sessionLogging?: boolean;

  /**
   * Also write the account's default Session Manager preferences in this region (the
   * `SSM-SessionManagerRunShell` document) with the same logging, encryption and idle timeout, so
   * that sessions started from the console, which always uses that document, are logged too. The
   * document belongs to the account: the create fails wherever it exists (Systems Manager creates it
   * when anyone opens the Session Manager preferences in the console), and deleting the stack,
   * turning this off or moving the construct deletes the preferences of every instance in the
   * account and region. Needs `sessionLogging` or `sessionLogs`.
   *
   * @default false
   */
  readonly accountSessionPreferences?: boolean;

  /**
   * The session logging of another {@link SharedResources} (its `sessionLogs`): this construct
   * creates no session log group and streams to that one. With the destination's `documentName`,
   * operators start sessions with that document; without it, this construct creates a Session
   * document of its own that logs to the destination. Not allowed together with `sessionLogging:
   * true`.
   *
   * @default - the destination this construct creates with `sessionLogging`
   */
  readonly sessionLogs?: SessionLogDestination;

  /**
   * The operators' OS users (see `FailoverTierProps.operatorUsers`, which creates them on the
   * instances): `operatorPolicy` allows a session on the instances only to a principal whose
   * `SSMSessionRunAs` tag names one of them, and the Session document runs each session as that
   * user (Run As), never as the shared `ssm-user`.
   *
   * @default - none: `operatorPolicy` allows no session on the instances
   */
  readonly operatorUsers?: string[];

  /**
   * Who enforces MFA for the operators' sessions: with `OperatorMfa.REQUIRED_IN_IAM`
   * `operatorPolicy` denies sessions on the instances unless `aws:MultiFactorAuthPresent` is true;
   * `OperatorMfa.ENFORCED_BY_IDENTITY_PROVIDER` leaves it to the identity provider that the
   * operators' roles are federated from (their sessions do not carry that key).
   *
   * @default OperatorMfa.REQUIRED_IN_IAM
   */
  readonly operatorMfa?: OperatorMfa;

  /**
   * The Object Lock mode of the access-log bucket this construct creates. `GOVERNANCE` lets the
   * `logAdminRole` (with `s3:BypassGovernanceRetention`) delete logs early, and the bucket can
   * still be emptied and deleted after a failed first create; `COMPLIANCE` lets nobody, not even
   * the account's root user, delete a log version or shorten its retention until
   * `accessLogRetention` has passed (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html),
   * so a failed create leaves a bucket that cannot be emptied or deleted for that long. Refused
   * with `accessLogsBucket`, whose lock is yours.
   *
   * @default s3.ObjectLockMode.GOVERNANCE
   */
  readonly accessLogsLockMode?: s3.ObjectLockMode;
}

/**
 * What both tiers share: the customer-managed KMS keys (data, and logs), the access-log bucket,
 * the alarm topic, the VPC (with its VPC endpoints), the AWS WAF web ACL, the log groups of the
 * instances' host logs and of Session Manager, the Session document that logs sessions and the
 * operators' policy. Each is created with secure defaults unless passed in.
 */
export class SharedResources extends Construct {
  /** The customer-managed key of volumes and topic. */
  public readonly encryptionKey: kms.IKey;
  /** The customer-managed key of the log groups and of Session Manager sessions. */
  public readonly logsEncryptionKey: kms.IKey;
  /** The bucket of the load balancers' access logs. */
  public readonly accessLogsBucket: s3.IBucket;
  /** The topic of alarms and Auto Scaling notifications. */
  public readonly alarmTopic: sns.ITopic;
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The ARN of the web ACL for the load balancers; undefined with `WebAclOption.none()`. */
  public readonly webAclArn?: string;
  /**
   * The log group the CloudWatch agent on every instance ships the host logs to (authentication,
   * system and audit logs, cloud-init output), one stream per instance and file.
   */
  public readonly hostLogGroup: logs.ILogGroup;
  /**
   * Where Session Manager logs sessions: the log group, key and Session document this construct
   * created, or the `sessionLogs` passed in; undefined with `sessionLogging: false`.
   */
  public readonly sessionLogs?: SessionLogDestination;

  /**
   * The managed policy for the operators' roles: Session Manager shells on the instances of the
   * groups added with {@link SharedResources.addSessionTargets}, only with the logging Session
   * document (`aws ssm start-session --target <instance id> --document-name <sessionLogs.documentName>`;
   * the console always uses `SSM-SessionManagerRunShell`, which this policy does not allow unless
   * `accountSessionPreferences` is on). Attach it to the operators' roles. Undefined without session
   * logging.
   */
  public readonly operatorPolicy?: iam.ManagedPolicy;

  /** Grants of {@link SharedResources.operatorPolicy}. */
  private readonly operatorAccess?: OperatorAccess;

  /** The EventBridge rules on management events that turn off a control. */
  private readonly tamperDetection: TamperDetection;

  /**
   * Fire when a log group received nothing for an hour: the host logs (every instance's CloudWatch
   * agent stopped) and, with the VPC this construct creates, the flow logs.
   */
  public readonly logDeliveryAlarms: cloudwatch.Alarm[];

  /**
   * Fires when an instance tried to send traffic out of the VPC that its security group refused
   * (counted from the flow logs): a compromise signal. Only with the VPC this construct creates,
   * whose flow logs it reads.
   */
  public readonly refusedEgressAlarm?: cloudwatch.Alarm;

  /** The ARN patterns of the log groups that CloudWatch Logs may encrypt with the logs key. */
  private readonly logGroupArnPatterns: string[] = [];

  public constructor(scope: Construct, id: string, props: SharedResourcesProps) {
    super(scope, id);
    // S3 server access logs are delivered under a bucket policy, never the legacy log-delivery
    // ACL, whatever the app's feature flags: the target bucket can then disable ACLs.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    validateConcrete('accessLogRetention', props.accessLogRetention, 'the lifecycle transitions');
    validateDays('accessLogRetention', props.accessLogRetention, 1, 3650);
    validateRetentionWithoutBucket(props.accessLogRetention, props.accessLogsBucket);
    validateAccessLogsBucket('accessLogsBucket', props.accessLogsBucket);
    validateOperatorUsers('operatorUsers', props.operatorUsers);
    if (props.accessLogsLockMode !== undefined && props.accessLogsBucket !== undefined) {
      throw new Error(
        `\`accessLogsLockMode\` only applies to the bucket this construct creates; set Object Lock on your own \`accessLogsBucket\` instead, got: ${props.accessLogsLockMode} with an \`accessLogsBucket\``,
      );
    }
    validateEmails('notificationEmails', props.notificationEmails);
    // Every alarm here notifies the topic (new or passed in) besides these actions.
    validateAlarmActions('alarmActions', props.alarmActions?.length, true);
    const retentionDays = (props.accessLogRetention ?? Duration.days(365)).toDays();
    if (retentionDays < 365) {
      Annotations.of(this).addWarningV2(
        'multi-az-failover-service:shortRetention',
        `\`accessLogRetention\` is ${retentionDays} days: PCI DSS v4.0.1 10.5.1 asks for audit logs kept at least 12 months. It sets how long the access logs, the host logs and the session logs are kept.`,
      );
    }

    this.encryptionKey =
      props.encryptionKey ??
      createGuardedKey(this, {
        id: 'EncryptionKey',
        purpose: 'Volumes and alarm topic',
        aliasSuffix: '',
        admin: props.keyAdminRole,
        keptAfterFailedCreate: false,
      });
    this.logsEncryptionKey =
      props.logsEncryptionKey ??
      createGuardedKey(this, {
        id: 'LogsEncryptionKey',
        purpose: 'Log groups and Session Manager sessions',
        aliasSuffix: '-logs',
        admin: props.keyAdminRole,
        // The log groups it encrypts outlive a failed create (they hold its cloud-init output).
        keptAfterFailedCreate: true,
      });
    this.allowAutoScalingToUseKey();
    this.allowLogsToUseKey(`${auditLogGroupPrefix(this)}*`);
    this.accessLogsBucket =
      props.accessLogsBucket ??
      createAccessLogsBucket(this, props.accessLogRetention, props.logAdminRole, props.accessLogsLockMode);
    this.alarmTopic = props.alarmTopic ?? this.createAlarmTopic();
    for (const email of props.notificationEmails ?? []) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    this.warnIfAlarmsUndelivered(props.alarmActions ?? []);

    const egress = props.egress ?? EgressMode.ENDPOINTS_ONLY;
    validateAdditionalEndpoints(
      'additionalEndpoints',
      props.additionalEndpoints,
      props.vpc !== undefined,
      INTERFACE_ENDPOINTS.map(([, service]) => service.shortName),
    );
    if (props.dnsFirewall === true && props.vpc !== undefined) {
      throw new Error(
        '`dnsFirewall` must be left out or false with `vpc`: the construct never associates a DNS Firewall rule group with your own VPC, got: true',
      );
    }
    if (props.dnsFirewall === true && egress === EgressMode.INTERNET) {
      throw new Error(
        '`dnsFirewall` must be left out or false under `EgressMode.INTERNET`: its allow-list holds only AWS names, and the instances call third parties by name, got: true',
      );
    }
    if (props.vpc !== undefined && props.egressBuckets !== undefined && props.egressBuckets.length > 0) {
      throw new Error(
        `\`egressBuckets\` must be left out with \`vpc\`: the construct adds no S3 endpoint to your own VPC, got: ${props.egressBuckets.length} bucket(s)`,
      );
    }
    if (props.vpc) {
      this.vpc = props.vpc;
      if (egress === EgressMode.ENDPOINTS_ONLY) {
        Annotations.of(this).addWarningV2(
          'multi-az-failover-service:ownVpcEndpoints',
          'With your own `vpc` and `egress: EgressMode.ENDPOINTS_ONLY` the construct creates no VPC endpoints: the VPC must ' +
            `have interface endpoints with private DNS for ${interfaceEndpointNames()} in ` +
            "the instances' subnets, accepting HTTPS from the VPC's CIDR, and an S3 gateway endpoint in their route tables, " +
            'or the instances cannot register with Systems Manager, ship logs or install packages. The instances may then ' +
            "send HTTPS to the VPC's CIDR and, unless you pass `egressPrefixLists` (the region's S3 prefix list), to any " +
            'IPv4 address: only your VPC\'s routes keep that traffic off the internet. See the README, "Restricted egress".',
        );
      }
    } else {
      validateAvailabilityZones('availabilityZones', props.availabilityZones, Stack.of(this).region);
      this.vpc = createZoneKeyedVpc(
        this,
        props.availabilityZones,
        this.logsEncryptionKey,
        egress,
        props.additionalEndpoints ?? [],
        props.egressBuckets ?? [],
      );
      if (egress === EgressMode.ENDPOINTS_ONLY && props.dnsFirewall !== false) {
        addDnsFirewall(this, this.vpc);
      }
    }

    this.hostLogGroup = createAuditLogGroup(this, 'HostLogs', 'host', this.logsEncryptionKey, retentionDays);
    const flowLogs = this.node.tryFindChild('FlowLogs') as logs.ILogGroup | undefined;
    this.logDeliveryAlarms = [
      logSilenceAlarm(this, 'HostLogsDelivery', this.hostLogGroup, 'host logs', this.alarmTopic, props.alarmActions),
      ...(flowLogs
        ? [logSilenceAlarm(this, 'FlowLogsDelivery', flowLogs, 'VPC flow logs', this.alarmTopic, props.alarmActions)]
        : []),
    ];
    if (flowLogs) {
      this.refusedEgressAlarm = refusedEgressAlarm(this, flowLogs, this.alarmTopic, props.alarmActions);
    }
    if (props.sessionLogs !== undefined) {
      if (props.sessionLogging === true) {
        throw new Error(
          '`sessionLogging` must not be true together with `sessionLogs`: `sessionLogs` reuses the session log group of another service, got: sessionLogging true and a sessionLogs destination',
        );
      }
      this.sessionLogs = props.sessionLogs.documentName
        ? props.sessionLogs
        : {
            ...props.sessionLogs,
            documentName: createSessionDocument(
              this,
              'SessionDocument',
              props.sessionLogs.logGroup,
              props.sessionLogs.encryptionKey,
            ).ref,
          };
    } else if (props.sessionLogging ?? true) {
      const logGroup = createAuditLogGroup(this, 'SessionLogs', 'sessions', this.logsEncryptionKey, retentionDays);
      const document = createSessionDocument(this, 'SessionDocument', logGroup, this.logsEncryptionKey);
      this.sessionLogs = { logGroup, encryptionKey: this.logsEncryptionKey, documentName: document.ref };
    }
    if (props.accountSessionPreferences ?? false) {
      if (this.sessionLogs === undefined) {
        throw new Error(
          '`accountSessionPreferences` needs session logging (`sessionLogging` or `sessionLogs`), got: accountSessionPreferences true with sessionLogging false',
        );
      }
      createSessionDocument(
        this,
        'SessionManagerPreferences',
        this.sessionLogs.logGroup,
        this.sessionLogs.encryptionKey,
        ACCOUNT_SESSION_DOCUMENT,
      );
    }
    if (this.sessionLogs !== undefined) {
      this.operatorAccess = new OperatorAccess(
        this,
        'OperatorPolicy',
        [this.sessionLogs.documentName!, ...(props.accountSessionPreferences ? [ACCOUNT_SESSION_DOCUMENT] : [])],
        this.sessionLogs.encryptionKey,
        props.operatorUsers ?? [],
        props.operatorMfa ?? OperatorMfa.REQUIRED_IN_IAM,
      );
      this.operatorPolicy = this.operatorAccess.policy;
    }

    this.webAclArn = (props.webAcl ?? WebAclOption.managedRules())._bind(this, {
      encryptionKey: this.logsEncryptionKey,
      allowLogsToUseKey: (logGroupNamePattern: string) => this.allowLogsToUseKey(logGroupNamePattern),
      alarmTopic: this.alarmTopic,
      alarmActions: props.alarmActions,
    });

    // Tampering with a control is noticed (PCI DSS v4.0.1 10.7.2, 11.5.2): see docs/SECURITY-CONTROLS.md.
    const serverAccessLogs = this.node.tryFindChild('ServerAccessLogsBucket') as s3.IBucket | undefined;
    this.tamperDetection = new TamperDetection(this, 'TamperDetection', {
      topic: this.alarmTopic,
      keys: [this.encryptionKey, this.logsEncryptionKey],
      buckets: [this.accessLogsBucket, ...(serverAccessLogs ? [serverAccessLogs] : [])],
      logGroupNamePrefixes: [auditLogGroupPrefix(this), `aws-waf-logs-${Aws.STACK_NAME}-`],
      sessionDocumentNames: [
        ...(this.sessionLogs?.documentName ? [this.sessionLogs.documentName] : []),
        ...(props.accountSessionPreferences ? [ACCOUNT_SESSION_DOCUMENT] : []),
      ],
    });
  }

  /**
   * Notices changes to the attributes of these load balancers (their access logs among them): an
   * EventBridge rule on `ModifyLoadBalancerAttributes` notifies the alarm topic.
   * `MultiAzFailoverService` adds both tiers' load balancers.
   *
   * @param loadBalancers the load balancers whose attribute changes notify the topic
   */
  public watchLoadBalancers(loadBalancers: elbv2.IApplicationLoadBalancer[]): void {
    this.tamperDetection.watchLoadBalancers(loadBalancers.map((lb) => lb.loadBalancerArn));
  }

  /**
   * Notices failed instance refreshes of these groups (releases and scheduled image refreshes): an
   * EventBridge rule on Auto Scaling's `Instance Refresh Failed` and `Rollback Failed` events
   * notifies the alarm topic. `MultiAzFailoverService` adds every zone's group of both tiers.
   *
   * @param groups the Auto Scaling groups whose failed refreshes notify the topic
   */
  public watchInstanceRefreshes(groups: autoscaling.IAutoScalingGroup[]): void {
    this.tamperDetection.watchInstanceRefreshes(groups.map((group) => group.autoScalingGroupName));
  }

  /**
   * Lets {@link SharedResources.operatorPolicy} start sessions on the instances of these Auto
   * Scaling groups (by their `aws:autoscaling:groupName` tag). Does nothing without session logging.
   *
   * @param groups the groups whose instances the operators may reach
   */
  public addSessionTargets(groups: autoscaling.IAutoScalingGroup[]): void {
    this.operatorAccess?.addSessionTargets(groups.map((group) => group.autoScalingGroupName));
  }

  /**
   * Creates, in `scope`, a log group of audit data that the logs key's policy already lets
   * CloudWatch Logs encrypt: named under this construct's log group prefix, encrypted with
   * `logsEncryptionKey`, kept at least `retention` (rounded up to a period CloudWatch Logs
   * accepts), retained on delete and protected from deletion, like the host and session logs.
   * The service's drills log to one.
   *
   * @param scope the construct that owns the log group
   * @param id the log group's construct id
   * @param purpose the name's part after the prefix, for example `drills`
   * @param retention how long the log group keeps events
   */
  public createAuditLogGroup(scope: Construct, id: string, purpose: string, retention: Duration): logs.LogGroup {
    return createAuditLogGroup(scope, id, purpose, this.logsEncryptionKey, retention.toDays(), this);
  }

  /**
   * AWS's required key policy for encrypted volumes launched by Auto Scaling: the service-linked
   * role uses the key and creates grants for the EC2 instances it launches
   * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html).
   *
   * The role is not named as the principal: "The principals in the key policy must exist and be
   * visible to KMS" (https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html), and
   * Auto Scaling creates its service-linked role only with the account's first group, which here
   * comes after the key. The statements allow any principal instead, conditioned on the role's
   * ARN (`aws:PrincipalArn`) and on this account (`kms:CallerAccount`): a condition may name a
   * principal that does not exist yet. The role calls KMS directly, so no `kms:ViaService`.
   */
  private allowAutoScalingToUseKey(): void {
    const onlyTheAutoScalingRole = {
      ArnEquals: {
        'aws:PrincipalArn': Stack.of(this).formatArn({
          service: 'iam',
          region: '',
          resource: 'role',
          resourceName: AUTO_SCALING_SERVICE_LINKED_ROLE,
        }),
      },
      StringEquals: { 'kms:CallerAccount': Aws.ACCOUNT_ID },
    };
    this.addKeyStatement(
      'encryptionKey',
      new iam.PolicyStatement({
        sid: 'AllowAutoScalingServiceLinkedRoleUseOfTheKey',
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: onlyTheAutoScalingRole,
      }),
    );
    this.addKeyStatement(
      'encryptionKey',
      new iam.PolicyStatement({
        sid: 'AllowAutoScalingServiceLinkedRoleAttachmentOfPersistentResources',
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: { ...onlyTheAutoScalingRole, Bool: { 'kms:GrantIsForAWSResource': true } },
      }),
    );
  }

  /**
   * Warns (`multi-az-failover-service:alarmsUndelivered`) when the alarms would reach nobody: no
   * `alarmActions`, and a topic defined in this app (the new one, or a `sns.Topic` passed in) with
   * no subscription anywhere in the app when it is synthesized, so subscriptions added after this
   * constructor count. An imported topic (`Topic.fromTopicArn`) is not checked: its subscriptions
   * live outside the app, where synth cannot see them. A subscription made outside the app to a
   * topic of the app (console, CLI) is invisible too: acknowledge the warning then
   * (`Annotations.of(shared).acknowledgeWarning('multi-az-failover-service:alarmsUndelivered')`).
   */
  private warnIfAlarmsUndelivered(alarmActions: cloudwatch.IAlarmAction[]): void {
    const topic = this.alarmTopic;
    if (alarmActions.length > 0 || !Resource.isOwnedResource(topic)) {
      return;
    }
    let warned = false;
    this.node.addValidation({
      validate: () => {
        const subscribed = this.node.root.node
          .findAll()
          .some((c) => c instanceof sns.CfnSubscription && c.topicArn === topic.topicArn);
        if (!subscribed && !warned) {
          warned = true;
          Annotations.of(this).addWarningV2(
            'multi-az-failover-service:alarmsUndelivered',
            'The alarms reach nobody: the alarm topic has no subscription and no `alarmActions` are given, so the ' +
              'security alarms (request smuggling, 5xx, AWS WAF, log delivery, failover) fire into an empty topic ' +
              '(PCI DSS v4.0.1 10.4.1.1, 10.7.2). Set `notificationEmails`, pass `alarmActions` (a pager) or a topic ' +
              'of your own, or subscribe to `alarmTopic`. See docs/OPERATIONS.md, "Who receives the alarms".',
          );
        }
        return [];
      },
    });
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
      'encryptionKey',
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToTheEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    // The tampering rules publish through EventBridge, which needs the key of an encrypted topic
    // ("Amazon SNS permissions",
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions).
    // No source condition: none is documented for EventBridge's KMS requests (unverified either
    // way); the topic policy names the rules (aws:SourceArn on sns:Publish).
    this.addKeyStatement(
      'encryptionKey',
      new iam.PolicyStatement({
        sid: 'AllowEventBridgeRulesToPublishToTheEncryptedTopic',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    // Who else may use the key for the topic: principals of this account, and only through SNS
    // (PCI DSS v4.0.1 3.6.1.2). A publisher needs kms:GenerateDataKey and kms:Decrypt
    // (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html), which SNS requests on
    // its behalf, so kms:ViaService is sns.<region>.amazonaws.com
    // (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
    // The account principal keeps the IAM check: an identity also needs an IAM policy that allows it.
    // Only on a key this construct creates: on a key passed in it names no required permission.
    if (this.encryptionKey instanceof kms.Key && this.encryptionKey.node.scope === this) {
      this.encryptionKey.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowThisAccountToUseTheKeyOnlyThroughSnsForTheTopic',
          principals: [new iam.AccountRootPrincipal()],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: {
            StringEquals: {
              'kms:ViaService': `sns.${stack.region}.${Aws.URL_SUFFIX}`,
              'kms:CallerAccount': Aws.ACCOUNT_ID,
            },
          },
        }),
      );
    }
    return topic;
  }

  private addKeyStatement(prop: 'encryptionKey' | 'logsEncryptionKey', statement: iam.PolicyStatement): void {
    const { statementAdded } = this[prop].addToResourcePolicy(statement, true);
    if (!statementAdded) {
      Annotations.of(this).addWarningV2(
        'multi-az-failover-service:importedKeyPolicy',
        `The key policy of the imported \`${prop}\` cannot be changed here; make sure it has the statement ${statement.sid}`,
      );
    }
  }

  /**
   * Lets CloudWatch Logs in this region encrypt with the logs key, only for this construct's log
   * groups: their ARNs, in the `aws:logs:arn` encryption context
   * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html), must
   * match a pattern given here. The regional principal is built with the partition's URL suffix
   * (`amazonaws.com.cn` in China).
   */
  private allowLogsToUseKey(logGroupNamePattern: string): void {
    this.logGroupArnPatterns.push(logGroupArn(this, logGroupNamePattern));
    if (this.logGroupArnPatterns.length > 1) {
      return;
    }
    const stack = Stack.of(this);
    // A key passed in may serve several of these constructs: each statement needs its own Sid.
    const ownKey = !(this.logsEncryptionKey instanceof kms.Key) || this.logsEncryptionKey.node.scope === this;
    this.addKeyStatement(
      'logsEncryptionKey',
      new iam.PolicyStatement({
        sid: `AllowCloudWatchLogsToEncryptThisConstructsLogGroups${ownKey ? '' : Names.uniqueId(this)}`,
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.${Aws.URL_SUFFIX}`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': Lazy.list({ produce: () => this.logGroupArnPatterns }),
          },
        },
      }),
    );
    // Who else may use the key for these log groups: principals of this account, only through
    // CloudWatch Logs and only for these log groups (PCI DSS v4.0.1 3.6.1.2), the form of AWS's
    // own policy for callers of CloudWatch Logs on encrypted log groups (kms:ViaService
    // logs.<region>.amazonaws.com with kms:EncryptionContext:aws:logs:arn,
    // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/CloudWatchLogsAPIKeyAccess.html).
    // Session Manager's own use of the key (operators' kms:GenerateDataKey, the agent's
    // kms:Decrypt) is direct, granted by IAM policies on the key's ARN: see docs/SECURITY-CONTROLS.md.
    if (this.logsEncryptionKey instanceof kms.Key && this.logsEncryptionKey.node.scope === this) {
      this.logsEncryptionKey.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowThisAccountToUseTheKeyOnlyThroughCloudWatchLogsForTheseLogGroups',
          principals: [new iam.AccountRootPrincipal()],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          conditions: {
            StringEquals: {
              'kms:ViaService': `logs.${stack.region}.${Aws.URL_SUFFIX}`,
              'kms:CallerAccount': Aws.ACCOUNT_ID,
            },
            ArnLike: {
              'kms:EncryptionContext:aws:logs:arn': Lazy.list({ produce: () => this.logGroupArnPatterns }),
            },
          },
        }),
      );
    }
  }
}
