import { App, CfnElement, CliCredentialsStackSynthesizer, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { EgressMode, OperatorMfa, SharedResources, SharedResourcesProps, WebAclOption } from '../src';
import { importedVpc, newStack } from './util';
import { INTERFACE_ENDPOINTS } from '../src/shared/endpoints';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:111122223333:payment-alarms';
const WEB_ACL_ARN =
  'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/payments/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
const ZONES = ['eu-west-1a', 'eu-west-1b'];

type ExtraProps = Partial<SharedResourcesProps>;

function newShared(props: (stack: Stack) => ExtraProps = () => ({}), stack: Stack = newStack()) {
  const shared = new SharedResources(stack, 'Shared', { availabilityZones: ZONES, ...props(stack) });
  return { stack, shared, template: Template.fromStack(stack) };
}

/** The logical id of the Session document that `shared` created. */
function sessionDocumentId(shared: SharedResources): string {
  return Stack.of(shared).getLogicalId(shared.node.findChild('SessionDocument') as CfnElement);
}

/** The Sids of the statements in the key policies of the template's keys. */
function keyPolicySids(template: Template): string[] {
  return Object.values(template.findResources('AWS::KMS::Key')).flatMap((key) =>
    key.Properties.KeyPolicy.Statement.map((s: { Sid?: string }) => s.Sid).filter(Boolean),
  );
}

/** The statements of the key policy of `key`. */
function keyStatements(stack: Stack, template: Template, key: kms.IKey): any[] {
  const id = stack.resolve(key.keyArn)['Fn::GetAtt'][0];
  return template.findResources('AWS::KMS::Key')[id].Properties.KeyPolicy.Statement;
}

const AUTOSCALING_ROLE = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':iam::',
      { Ref: 'AWS::AccountId' },
      ':role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
    ],
  ],
};

describe('with default props', () => {
  let stack: Stack;
  let shared: SharedResources;
  let template: Template;
  beforeAll(() => {
    // GIVEN / WHEN
    ({ stack, shared, template } = newShared());
  });

  test.each([
    // the data key (volumes, topic) and the logs key
    ['AWS::KMS::Key', 2],
    ['AWS::KMS::Alias', 2],
    ['AWS::S3::Bucket', 2],
    // flow logs, host logs, session logs, WAF logs
    ['AWS::Logs::LogGroup', 4],
    ['AWS::SSM::Document', 1],
    ['AWS::SNS::Topic', 1],
    ['AWS::SNS::Subscription', 0],
    ['AWS::EC2::VPC', 1],
    // EgressMode.ENDPOINTS_ONLY: VPC endpoints (6 interface, 1 S3 gateway), no NAT gateway
    ['AWS::EC2::NatGateway', 0],
    ['AWS::EC2::VPCEndpoint', 7],
    ['AWS::EC2::FlowLog', 1],
    ['AWS::WAFv2::WebACL', 1],
    ['AWS::WAFv2::LoggingConfiguration', 1],
  ])('creates %s × %d', (type, count) => {
    // THEN
    template.resourceCountIs(type, count);
  });

  test('the key rotates and has an alias', () => {
    // THEN
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::KMS::Alias', {
      // alias/<stack name>/<construct path>-<hash>: unique per stack name in the account and region
      AliasName: {
        'Fn::Join': [
          '',
          ['alias/', { Ref: 'AWS::StackName' }, Match.stringLikeRegexp('^/TestStack-Shared-[0-9A-F]{8}$')],
        ],
      },
      TargetKeyId: stack.resolve(shared.encryptionKey.keyArn),
    });
  });

  test('the key policy denies grants that are not for AWS resources', () => {
    // THEN
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'DenyGrantsNotForAwsResources',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'kms:CreateGrant',
            Resource: '*',
            Condition: {
              BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
            },
          },
        ]),
      },
    });
  });

  // https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html
  // (the two statements), with the role in a condition instead of the principal: "The principals in
  // the key policy must exist" (https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html),
  // and the role exists only after the account's first group.
  test('the key policy lets the Auto Scaling service-linked role use the key and create grants for AWS resources, naming it only in conditions', () => {
    // THEN
    const onlyTheRole = {
      ArnEquals: { 'aws:PrincipalArn': AUTOSCALING_ROLE },
      StringEquals: { 'kms:CallerAccount': { Ref: 'AWS::AccountId' } },
    };
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowAutoScalingServiceLinkedRoleUseOfTheKey',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
            Resource: '*',
            Condition: onlyTheRole,
          },
          {
            Sid: 'AllowAutoScalingServiceLinkedRoleAttachmentOfPersistentResources',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 'kms:CreateGrant',
            Resource: '*',
            Condition: { ...onlyTheRole, Bool: { 'kms:GrantIsForAWSResource': true } },
          },
        ]),
      },
    });
  });

  test('the key policy lets CloudWatch publish alarms to the encrypted topic (the topic policy scopes which alarms)', () => {
    // THEN
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowCloudWatchAlarmsToPublishToTheEncryptedTopic',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
          },
        ]),
      },
    });
  });

  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html: CloudWatch
  // Logs calls KMS with the log group's ARN as the `aws:logs:arn` encryption context.
  test('only the logs key lets CloudWatch Logs encrypt, and only for the log groups of this construct', () => {
    // THEN
    const logsStatements = keyStatements(stack, template, shared.logsEncryptionKey);
    const statement = logsStatements.find((s) => s.Sid === 'AllowCloudWatchLogsToEncryptThisConstructsLogGroups');
    // the partition's URL suffix: amazonaws.com.cn in the China regions
    expect(statement.Principal).toEqual({
      Service: { 'Fn::Join': ['', ['logs.eu-west-1.', { Ref: 'AWS::URLSuffix' }]] },
    });
    const arn = (name: unknown[]) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:', { Ref: 'AWS::AccountId' }, ...name]],
    });
    expect(statement.Condition).toEqual({
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': [
          arn([':log-group:/', { Ref: 'AWS::StackName' }, '/TestStack-Shared-2ED580FC/*']),
          arn([':log-group:aws-waf-logs-', { Ref: 'AWS::StackName' }, '-*']),
        ],
      },
    });
    // once, for every log group
    expect(keyPolicySids(template).filter((sid) => sid === statement.Sid)).toHaveLength(1);
    expect(JSON.stringify(keyStatements(stack, template, shared.encryptionKey))).not.toContain('logs.');
  });

  test.each([
    ['FlowLogs', 'flow-logs', 365],
    ['HostLogs', 'host', 365],
    ['SessionLogs', 'sessions', 365],
  ])(
    'the %s log group is named under the construct and the stack id, kept, protected and encrypted with the logs key',
    (id, purpose, days) => {
      // THEN
      const group = Object.entries(template.findResources('AWS::Logs::LogGroup')).find(([logicalId]) =>
        logicalId.startsWith(`Shared${id}`),
      )![1];
      expect(group.DeletionPolicy).toBe('Retain');
      expect(group.Properties).toEqual({
        LogGroupName: {
          'Fn::Join': [
            '',
            [
              '/',
              { Ref: 'AWS::StackName' },
              `/TestStack-Shared-2ED580FC/${purpose}/`,
              { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] },
            ],
          ],
        },
        KmsKeyId: stack.resolve(shared.logsEncryptionKey.keyArn),
        RetentionInDays: days,
        DeletionProtectionEnabled: true,
      });
    },
  );

  // PCI DSS v4.0.1 3.6.1: only key custodians may disable, re-policy or delete a key. The account
  // statement of every CDK key policy would let any principal with kms:* in IAM do it.
  test('both keys deny lifecycle changes to everyone but the CloudFormation execution role', () => {
    // THEN
    for (const key of [shared.encryptionKey, shared.logsEncryptionKey]) {
      expect(keyStatements(stack, template, key)).toContainEqual({
        Sid: 'DenyKeyLifecycleChangesExceptKeyAdministrators',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:DisableKeyRotation', 'kms:PutKeyPolicy'],
        Resource: '*',
        Condition: {
          ArnNotLike: {
            'aws:PrincipalArn': [
              {
                'Fn::Sub':
                  'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-${AWS::AccountId}-eu-west-1',
              },
            ],
          },
        },
      });
    }
  });

  test('the topic is encrypted with the key and only accepts TLS', () => {
    // THEN
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: stack.resolve(shared.encryptionKey.keyArn),
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('both buckets use SSE-S3, versioning, no ACLs and block all public access', () => {
    // THEN
    template.allResourcesProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      AccessControl: Match.absent(),
    });
  });

  test('both bucket policies deny plain HTTP and TLS below 1.2', () => {
    // THEN
    template.resourcePropertiesCountIs(
      'AWS::S3::BucketPolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
          ]),
        },
      },
      2,
    );
  });

  test('the access-log bucket logs its own access to the second bucket, delivered under a bucket policy', () => {
    // THEN
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: {
        DestinationBucketName: { Ref: Match.stringLikeRegexp('^SharedServerAccessLogsBucket') },
        LogFilePrefix: 'access-logs-bucket/',
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^SharedServerAccessLogsBucket') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' } }),
        ]),
      },
    });
  });

  test('both buckets keep objects 365 days, in STANDARD_IA from day 30 and GLACIER from day 90, and remove expired delete markers', () => {
    // THEN
    template.allResourcesProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'RetainLogs',
            Status: 'Enabled',
            ExpirationInDays: 365,
            // the version that expiry made noncurrent goes the next day (PCI DSS v4.0.1 10.5.1)
            NoncurrentVersionExpiration: { NoncurrentDays: 1 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
            Transitions: [
              { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
              { StorageClass: 'GLACIER', TransitionInDays: 90 },
            ],
          },
          { Id: 'RemoveExpiredDeleteMarkers', Status: 'Enabled', ExpiredObjectDeleteMarker: true },
        ],
      },
    });
  });

  // PCI DSS v4.0.1 10.3.2 to 10.3.4, 10.5.1; https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html:
  // in governance mode no version can be deleted or its retention shortened before it ends, unless
  // the caller has s3:BypassGovernanceRetention, which the bucket policy denies.
  test('the load-balancer log bucket locks every log version for the retention, in governance mode', () => {
    // THEN
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: Match.anyValue(),
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } },
      },
    });
  });

  test('the log bucket policy denies deleting logs to everyone, and retention changes to all but the deployer', () => {
    // THEN
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find((p) =>
      p.Properties.Bucket.Ref.startsWith('SharedAccessLogsBucket'),
    )!;
    const statements: any[] = policy.Properties.PolicyDocument.Statement;
    expect(statements.find((st) => st.Sid === 'DenyLogDeletionExceptLogAdministrators')).toEqual({
      Sid: 'DenyLogDeletionExceptLogAdministrators',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:BypassGovernanceRetention'],
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [policy.Properties.Bucket.Ref, 'Arn'] }, '/*']] },
    });
    expect(statements.find((st) => st.Sid === 'DenyLogRetentionChangesExceptAdministrators')).toEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: [
          's3:PutLifecycleConfiguration',
          's3:PutBucketObjectLockConfiguration',
          's3:PutBucketVersioning',
          's3:PutBucketPolicy',
          's3:DeleteBucketPolicy',
        ],
        Condition: {
          ArnNotLike: {
            'aws:PrincipalArn': [
              {
                'Fn::Sub':
                  'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-${AWS::AccountId}-eu-west-1',
              },
            ],
          },
        },
      }),
    );
  });

  // PCI DSS v4.0.1 10.2.1 (admin actions logged), 8.2.8 (idle sessions end within 15 minutes);
  // https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-schema.html
  test("the stack's own Session document streams sessions to the encrypted session log group, encrypts them and ends idle ones after 15 minutes", () => {
    // THEN
    const documents = Object.values(template.findResources('AWS::SSM::Document'));
    expect(documents).toHaveLength(1);
    const document = documents[0].Properties;
    expect(stack.resolve(shared.sessionLogs!.documentName)).toEqual({
      Ref: sessionDocumentId(shared),
    });
    expect(document.Name).toEqual({
      'Fn::Join': [
        '',
        [
          expect.stringMatching(/^Sessions-TestStack-Shared-[0-9A-F]{8}-$/),
          { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] },
        ],
      ],
    });
    expect(document).toMatchObject({ DocumentType: 'Session', UpdateMethod: 'NewVersion' });
    expect(document.Content.sessionType).toBe('Standard_Stream');
    expect(document.Content.inputs).toEqual(
      expect.objectContaining({
        cloudWatchLogGroupName: stack.resolve(shared.sessionLogs!.logGroup.logGroupName),
        cloudWatchEncryptionEnabled: true,
        cloudWatchStreamingEnabled: true,
        kmsKeyId: stack.resolve(shared.logsEncryptionKey.keyId),
        idleSessionTimeout: '15',
        runAsEnabled: true,
        runAsDefaultUser: '',
      }),
    );
  });

  // https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-sessiondocumentaccesscheck.html:
  // with ssm:SessionDocumentAccessCheck, a session must name a document the policy allows; a session
  // that names none is checked against SSM-SessionManagerRunShell, which this policy does not allow.
  // https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-restrict-access-quickstart.html
  test('the operator policy starts sessions only with the logging document, on the instances of the session targets', () => {
    // GIVEN
    const { stack: s, shared: own } = newShared(() => ({ operatorUsers: ['alice'] }));
    const group = autoscaling.AutoScalingGroup.fromAutoScalingGroupName(s, 'Group', 'payments-a');

    // WHEN
    own.addSessionTargets([group]);

    // THEN
    const statements = s.resolve(own.operatorPolicy!.document.toJSON()).Statement;
    const startSession = statements.filter(
      (st: any) => st.Effect === 'Allow' && [st.Action].flat().includes('ssm:StartSession'),
    );
    expect(startSession).toHaveLength(2);
    for (const st of startSession) {
      expect(st.Condition.BoolIfExists).toEqual({ 'ssm:SessionDocumentAccessCheck': 'true' });
    }
    expect(startSession[0].Resource).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':ssm:eu-west-1:',
          { Ref: 'AWS::AccountId' },
          ':document/',
          { Ref: sessionDocumentId(own) },
        ],
      ],
    });
    expect(startSession[1].Condition.StringEquals).toEqual({
      'ssm:resourceTag/aws:autoscaling:groupName': ['payments-a'],
      'aws:PrincipalTag/SSMSessionRunAs': ['alice'],
    });
    expect(JSON.stringify(statements)).not.toContain('SSM-SessionManagerRunShell');
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: ['ssm:TerminateSession', 'ssm:ResumeSession'],
          Condition: { StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': ['${aws:userid}'] } },
        }),
        expect.objectContaining({ Action: 'ssmmessages:OpenDataChannel', Resource: '*' }),
        expect.objectContaining({
          Action: 'kms:GenerateDataKey',
          Resource: s.resolve(own.logsEncryptionKey.keyArn),
        }),
      ]),
    );
  });

  test("the account's Session Manager preferences are left alone", () => {
    // THEN
    expect(JSON.stringify(template.toJSON())).not.toContain('SSM-SessionManagerRunShell');
  });

  // PCI DSS v4.0.1 10.7.2; https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatch-Logs-Monitoring-CloudWatch-Metrics.html:
  // IncomingLogEvents exists only while events arrive, so missing data is a stopped delivery.
  test('an hour without host logs or flow logs raises an alarm', () => {
    // THEN
    expect(shared.logDeliveryAlarms).toHaveLength(2);
    for (const prefix of ['SharedHostLogs', 'SharedFlowLogs']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Logs',
        MetricName: 'IncomingLogEvents',
        Dimensions: [{ Name: 'LogGroupName', Value: { Ref: Match.stringLikeRegexp(`^${prefix}`) } }],
        Statistic: 'Sum',
        Period: 3600,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
        AlarmActions: [stack.resolve(shared.alarmTopic.topicArn)],
      });
    }
  });

  // PCI DSS v4.0.1 10.5.1: audit logs kept at least 12 months.
  test.each([
    [Duration.days(364), 1],
    [Duration.days(365), 0],
  ])(
    'accessLogRetention %s warns %d time(s) that it is below the 12 months of PCI DSS 10.5.1',
    (accessLogRetention, warnings) => {
      // WHEN
      const { stack: s } = newShared(() => ({ accessLogRetention }));

      // THEN
      expect(Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp('shortRetention'))).toHaveLength(
        warnings,
      );
    },
  );

  test('the VPC has a public and a private subnet in each zone, without public IPs on launch', () => {
    // THEN
    template.resourceCountIs('AWS::EC2::Subnet', 4);
    for (const zone of ZONES) {
      template.resourcePropertiesCountIs('AWS::EC2::Subnet', { AvailabilityZone: zone }, 2);
    }
    template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
    expect(shared.vpc.publicSubnets).toHaveLength(2);
    expect(shared.vpc.privateSubnets).toHaveLength(2);
  });

  test('the VPC flow logs go to the flow-log group', () => {
    // THEN
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: { Ref: Match.stringLikeRegexp('^SharedFlowLogs') },
    });
  });

  test('the flow-log delivery role has a managed policy scoped to its log group, and no inline policy', () => {
    // THEN
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SharedFlowLogs'), 'Arn'] },
          },
        ],
      },
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  // PCI DSS v4.0.1 10.2.1: flow logs that say which instance, which direction, the real packet
  // addresses behind NAT and the TCP flags, every minute.
  // https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
  test('the flow log records the v5 fields an investigation needs, aggregated every minute', () => {
    // THEN
    const format = Object.values(template.findResources('AWS::EC2::FlowLog'))[0].Properties;
    expect(format.MaxAggregationInterval).toBe(60);
    for (const field of [
      'instance-id',
      'tcp-flags',
      'pkt-srcaddr',
      'pkt-dstaddr',
      'flow-direction',
      'srcaddr',
      'action',
    ]) {
      expect(format.LogFormat.split(' ')).toContain(`\${${field}}`);
    }
  });

  test('the managed web ACL (the default) is created here and is the exposed webAclArn', () => {
    // THEN: its rules and logging are tested in web-acl-option.test.ts
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 1);
    expect(stack.resolve(shared.webAclArn)).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^SharedWebAcl/), 'Arn'],
    });
  });

  test('the only warning is that the alarms reach nobody (no subscription, no alarmActions)', () => {
    // THEN
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.anyValue());
    expect(warnings.map((w) => String(w.entry.data).replace(/.*\[ack: (.*)\]$/, '$1'))).toEqual([
      'multi-az-failover-service:alarmsUndelivered',
    ]);
  });
});

describe('alarms reach someone', () => {
  const undelivered = Match.stringLikeRegexp('alarmsUndelivered');

  test('without a subscription or alarmActions, synth warns that the alarms reach nobody', () => {
    // WHEN
    const { stack } = newShared();

    // THEN
    Annotations.fromStack(stack).hasWarning(
      '/TestStack/Shared',
      'The alarms reach nobody: the alarm topic has no subscription and no `alarmActions` are given, so the security alarms (request smuggling, 5xx, AWS WAF, log delivery, failover) fire into an empty topic (PCI DSS v4.0.1 10.4.1.1, 10.7.2). Set `notificationEmails`, pass `alarmActions` (a pager) or a topic of your own, or subscribe to `alarmTopic`. See docs/OPERATIONS.md, "Who receives the alarms". [ack: multi-az-failover-service:alarmsUndelivered]',
    );
  });

  test.each<[string, (stack: Stack) => ExtraProps]>([
    ['notificationEmails', () => ({ notificationEmails: ['oncall@example.com'] })],
    ['alarmActions', (s) => ({ alarmActions: [new cw_actions.SnsAction(new sns.Topic(s, 'Pager'))] })],
    // an imported topic's subscriptions live outside the app: trusted, not checked
    ['an imported alarmTopic', (s) => ({ alarmTopic: sns.Topic.fromTopicArn(s, 'Topic', TOPIC_ARN) })],
  ])('with %s, synth does not warn', (_, props) => {
    // WHEN
    const { stack } = newShared(props);

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', undelivered);
  });

  test('a subscription added to alarmTopic after the constructor counts', () => {
    // GIVEN
    const stack = newStack();
    const shared = new SharedResources(stack, 'Shared', { availabilityZones: ZONES });

    // WHEN
    shared.alarmTopic.addSubscription(new subscriptions.SqsSubscription(new sqs.Queue(stack, 'Queue')));

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', undelivered);
  });

  test('a topic of the app passed in without a subscription is checked too', () => {
    // WHEN
    const { stack } = newShared((s) => ({ alarmTopic: new sns.Topic(s, 'OwnTopic') }));

    // THEN
    expect(Annotations.fromStack(stack).findWarning('*', undelivered)).toHaveLength(1);
  });

  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html:
  // AlarmActions, "Maximum number of 5 items".
  test('alarmActions reach the log-delivery and AWS WAF alarms, after the topic', () => {
    // GIVEN
    const stack = newStack();
    const pager = new sns.Topic(stack, 'Pager');

    // WHEN
    const { shared, template } = newShared(() => ({ alarmActions: [new cw_actions.SnsAction(pager)] }), stack);

    // THEN
    const actions = [stack.resolve(shared.alarmTopic.topicArn), stack.resolve(pager.topicArn)];
    for (const description of ['^No host logs arrived', '^No VPC flow logs arrived', '^AWS WAF blocked']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmDescription: Match.stringLikeRegexp(description),
        AlarmActions: actions,
      });
    }
  });

  test('more than 4 alarmActions are rejected: a CloudWatch alarm takes 5, one is the topic', () => {
    // GIVEN
    const stack = newStack();
    const alarmActions = [1, 2, 3, 4, 5].map((i) => new cw_actions.SnsAction(new sns.Topic(stack, `Pager${i}`)));

    // WHEN / THEN
    expect(() => newShared(() => ({ alarmActions }), stack)).toThrow(
      '`alarmActions` must list at most 4 actions: a CloudWatch alarm takes 5, and one is the alarm topic, got: 5',
    );
  });
});

// PCI DSS v4.0.1 3.6.1.2: each key names who may use it, for what, and who administers it.
describe('key custodians', () => {
  const viaService = (service: string) => ({ 'Fn::Join': ['', [`${service}.eu-west-1.`, { Ref: 'AWS::URLSuffix' }]] });

  // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html (a publisher needs
  // kms:GenerateDataKey and kms:Decrypt); kms:ViaService:
  // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
  test('the data key lets principals of this account use it only through SNS, for the topic', () => {
    // WHEN
    const { stack, shared, template } = newShared();

    // THEN
    const statement = keyStatements(stack, template, shared.encryptionKey).find(
      (st) => st.Sid === 'AllowThisAccountToUseTheKeyOnlyThroughSnsForTheTopic',
    );
    expect(statement).toEqual({
      Sid: 'AllowThisAccountToUseTheKeyOnlyThroughSnsForTheTopic',
      Effect: 'Allow',
      Principal: {
        AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] },
      },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:ViaService': viaService('sns'), 'kms:CallerAccount': { Ref: 'AWS::AccountId' } },
      },
    });
  });

  // The form of AWS's policy for callers of CloudWatch Logs on encrypted log groups:
  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/CloudWatchLogsAPIKeyAccess.html
  test('the logs key lets principals of this account use it only through CloudWatch Logs, for its log groups', () => {
    // WHEN
    const { stack, shared, template } = newShared();

    // THEN
    const statements = keyStatements(stack, template, shared.logsEncryptionKey);
    const statement = statements.find(
      (st) => st.Sid === 'AllowThisAccountToUseTheKeyOnlyThroughCloudWatchLogsForTheseLogGroups',
    );
    const service = statements.find((st) => st.Sid === 'AllowCloudWatchLogsToEncryptThisConstructsLogGroups');
    expect(statement.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(statement.Condition.StringEquals).toEqual({
      'kms:ViaService': viaService('logs'),
      'kms:CallerAccount': { Ref: 'AWS::AccountId' },
    });
    // the same log groups as the CloudWatch Logs service statement
    expect(statement.Condition.ArnLike).toEqual(service.Condition.ArnLike);
  });

  // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html (key administrators)
  test('both keys name their administrators: the execution role and keyAdminRole, without cryptographic use', () => {
    // WHEN
    const { stack, shared, template } = newShared((s) => ({
      keyAdminRole: iam.Role.fromRoleArn(s, 'KeyAdmin', 'arn:aws:iam::111122223333:role/key-custodian'),
    }));

    // THEN
    for (const key of [shared.encryptionKey, shared.logsEncryptionKey]) {
      const admin = keyStatements(stack, template, key).find(
        (st) => st.Sid === 'AllowKeyAdministratorsToAdministerTheKey',
      );
      expect(admin.Principal).toEqual({ AWS: '*' });
      expect(admin.Condition).toEqual({
        ArnLike: {
          'aws:PrincipalArn': [
            expect.objectContaining({ 'Fn::Sub': expect.stringContaining('cfn-exec-role') }),
            'arn:aws:iam::111122223333:role/key-custodian',
          ],
        },
        StringEquals: { 'kms:CallerAccount': { Ref: 'AWS::AccountId' } },
      });
      expect(admin.Action).toEqual(expect.arrayContaining(['kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion']));
      for (const use of ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:*']) {
        expect(admin.Action).not.toContain(use);
      }
    }
  });

  // The Auto Scaling service-linked role calls KMS directly
  // (https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html):
  // a kms:ViaService condition would deny it.
  test('the Auto Scaling role statements keep their form, without kms:ViaService', () => {
    // WHEN
    const { stack, shared, template } = newShared();

    // THEN
    const statements = keyStatements(stack, template, shared.encryptionKey).filter((st) =>
      String(st.Sid).startsWith('AllowAutoScalingServiceLinkedRole'),
    );
    expect(statements).toHaveLength(2);
    for (const statement of statements) {
      expect(statement.Principal).toEqual({ AWS: '*' });
      expect(JSON.stringify(statement.Condition)).not.toContain('kms:ViaService');
    }
  });

  // No AWS page we found says that CloudWatch sets aws:SourceArn or aws:SourceAccount on the KMS
  // requests of an alarm that publishes to an encrypted topic (SNS's "Enable compatibility between
  // event sources from AWS services and encrypted topics" shows the statement without conditions):
  // a condition the caller does not set would deny every alarm notification. The topic policy
  // scopes the alarms instead (aws:SourceAccount, aws:SourceArn on sns:Publish).
  test('the CloudWatch statement on the data key has no source condition the caller is not documented to set', () => {
    // WHEN
    const { stack, shared, template } = newShared();

    // THEN
    const statement = keyStatements(stack, template, shared.encryptionKey).find(
      (st) => st.Sid === 'AllowCloudWatchAlarmsToPublishToTheEncryptedTopic',
    );
    expect(statement.Condition).toBeUndefined();
  });
});

// PCI DSS v4.0.1 10.7.2, 11.5.2. CloudTrail delivers management events to EventBridge as
// "AWS API Call via CloudTrail" (with a trail, in the Region of the call, read-only calls not at all):
// https://docs.aws.amazon.com/eventbridge/latest/userguide/event-types.html
describe('tamper detection', () => {
  let stack: Stack;
  let shared: SharedResources;
  let template: Template;
  beforeAll(() => {
    // GIVEN / WHEN
    ({ stack, shared, template } = newShared());
  });

  const ruleOf = (id: string) => {
    const rules = template.findResources('AWS::Events::Rule');
    const match = Object.entries(rules).find(([logicalId]) => logicalId.startsWith(`SharedTamperDetection${id}`));
    expect(match).toBeDefined();
    return match![1].Properties;
  };

  test.each([
    [
      'WebAclTampering',
      'aws.wafv2',
      'wafv2.amazonaws.com',
      ['DisassociateWebACL', 'DeleteWebACL', 'DeleteLoggingConfiguration'],
    ],
    ['FlowLogTampering', 'aws.ec2', 'ec2.amazonaws.com', ['DeleteFlowLogs']],
    [
      'KeyTampering',
      'aws.kms',
      'kms.amazonaws.com',
      ['DisableKey', 'ScheduleKeyDeletion', 'PutKeyPolicy', 'DisableKeyRotation'],
    ],
    [
      'LogBucketTampering',
      'aws.s3',
      's3.amazonaws.com',
      [
        'PutBucketPolicy',
        'DeleteBucketPolicy',
        'PutBucketLifecycle',
        'DeleteBucketLifecycle',
        'PutBucketVersioning',
        'PutObjectLockConfiguration',
      ],
    ],
    [
      'LogGroupTampering',
      'aws.logs',
      'logs.amazonaws.com',
      ['PutRetentionPolicy', 'DeleteRetentionPolicy', 'PutLogGroupDeletionProtection', 'DeleteLogGroup'],
    ],
    [
      'SessionDocumentTampering',
      'aws.ssm',
      'ssm.amazonaws.com',
      ['UpdateDocument', 'UpdateDocumentDefaultVersion', 'DeleteDocument'],
    ],
  ])('the %s rule matches CloudTrail management events of %s: %j', (id, source, eventSource, eventNames) => {
    // THEN
    const rule = ruleOf(id);
    expect(rule.State).toBe('ENABLED');
    expect(rule.EventPattern.source).toEqual([source]);
    expect(rule.EventPattern['detail-type']).toEqual(['AWS API Call via CloudTrail']);
    expect(rule.EventPattern.detail.eventSource).toEqual([eventSource]);
    expect(rule.EventPattern.detail.eventName).toEqual(eventNames);
    expect(rule.Targets).toEqual([{ Id: 'Target0', Arn: stack.resolve(shared.alarmTopic.topicArn) }]);
  });

  test('the key, bucket, log-group and session-document rules match only the resources of the service', () => {
    // THEN
    expect(ruleOf('KeyTampering').EventPattern.detail.requestParameters.keyId).toEqual([
      stack.resolve(shared.encryptionKey.keyId),
      stack.resolve(shared.encryptionKey.keyArn),
      stack.resolve(shared.logsEncryptionKey.keyId),
      stack.resolve(shared.logsEncryptionKey.keyArn),
    ]);
    expect(ruleOf('LogBucketTampering').EventPattern.detail.requestParameters.bucketName).toEqual(
      expect.arrayContaining([stack.resolve(shared.accessLogsBucket.bucketName)]),
    );
    const logGroups = JSON.stringify(ruleOf('LogGroupTampering').EventPattern.detail.$or);
    expect(logGroups).toContain('logGroupName');
    expect(logGroups).toContain('logGroupIdentifier');
    expect(logGroups).toContain('aws-waf-logs-');
    expect(ruleOf('SessionDocumentTampering').EventPattern.detail.requestParameters.name).toEqual([
      { Ref: sessionDocumentId(shared) },
    ]);
  });

  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
  test('the topic lets EventBridge publish only for these rules, and the key lets EventBridge encrypt', () => {
    // THEN
    const rules = Object.keys(template.findResources('AWS::Events::Rule'));
    expect(rules).toHaveLength(6);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowTamperDetectionRulesToPublish',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: { ArnEquals: { 'aws:SourceArn': rules.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })) } },
          }),
        ]),
      },
    });
    const statement = keyStatements(stack, template, shared.encryptionKey).find(
      (st) => st.Sid === 'AllowEventBridgeRulesToPublishToTheEncryptedTopic',
    );
    expect(statement).toMatchObject({
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    });
  });

  // A scheduled image refresh fails with no stack update to fail: Auto Scaling's own events tell
  // (https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-eventbridge-events.html).
  test('watchInstanceRefreshes adds a rule on failed refreshes and rollbacks of those groups, to the topic', () => {
    // GIVEN
    const s = newStack();
    const sh = new SharedResources(s, 'Shared', { availabilityZones: ZONES });
    const group = autoscaling.AutoScalingGroup.fromAutoScalingGroupName(s, 'Group', 'payments-a');

    // WHEN
    sh.watchInstanceRefreshes([group]);

    // THEN
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.autoscaling'],
        'detail-type': [
          'EC2 Auto Scaling Instance Refresh Failed',
          'EC2 Auto Scaling Instance Refresh Rollback Failed',
        ],
        detail: { AutoScalingGroupName: ['payments-a'] },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^SharedAlarmTopic') } })],
    });
    const rule = Object.keys(t.findResources('AWS::Events::Rule')).find((id) =>
      id.startsWith('SharedTamperDetectionInstanceRefreshFailed'),
    );
    expect(JSON.stringify(t.findResources('AWS::SNS::TopicPolicy'))).toContain(rule!);
  });

  test('watchLoadBalancers adds a rule on their attribute changes (access logs)', () => {
    // GIVEN
    const s = newStack();
    const sh = new SharedResources(s, 'Shared', { availabilityZones: ZONES });
    const lb = elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(s, 'Lb', {
      loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/payments/0123456789abcdef',
      securityGroupId: 'sg-0123456789abcdef0',
    });

    // WHEN
    sh.watchLoadBalancers([lb]);

    // THEN
    Template.fromStack(s).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.elasticloadbalancing'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['elasticloadbalancing.amazonaws.com'],
          eventName: ['ModifyLoadBalancerAttributes'],
          requestParameters: {
            loadBalancerArn: [
              'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/payments/0123456789abcdef',
            ],
          },
        },
      },
    });
  });
});

describe('accessLogRetention', () => {
  test.each<[number, Array<{ StorageClass: string; TransitionInDays: number }> | undefined]>([
    [1, undefined],
    [59, undefined],
    [60, [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }]],
    [179, [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }]],
    [
      180,
      [
        { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
        { StorageClass: 'GLACIER', TransitionInDays: 90 },
      ],
    ],
    [
      3650,
      [
        { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
        { StorageClass: 'GLACIER', TransitionInDays: 90 },
      ],
    ],
  ])('%d days: objects expire then, with only the transitions they outlive', (days, transitions) => {
    // WHEN
    const { template } = newShared(() => ({ accessLogRetention: Duration.days(days) }));

    // THEN
    template.allResourcesProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({ ExpirationInDays: days, Transitions: transitions ?? Match.absent() }),
          Match.objectLike({ ExpiredObjectDeleteMarker: true }),
        ],
      },
    });
  });

  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html: on a versioned
  // bucket, Expiration makes the current version noncurrent (behind a delete marker), and
  // NoncurrentDays count from then; https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html:
  // a locked version cannot be removed before its retention, counted from its creation, ends.
  test.each([1, 90, 365, 400, 3650])(
    '%d days: a log is kept that long in total, and no longer than its lock plus a day',
    (days) => {
      // WHEN
      const { template } = newShared(() => ({ accessLogRetention: Duration.days(days) }));

      // THEN
      for (const bucket of Object.values(template.findResources('AWS::S3::Bucket'))) {
        const rule = bucket.Properties.LifecycleConfiguration.Rules.find((r: any) => r.Id === 'RetainLogs');
        const total = rule.ExpirationInDays + rule.NoncurrentVersionExpiration.NoncurrentDays;
        const lock = bucket.Properties.ObjectLockConfiguration?.Rule.DefaultRetention.Days;
        expect({ current: rule.ExpirationInDays, total }).toEqual({ current: days, total: days + 1 });
        if (lock !== undefined) {
          expect(lock).toBe(days);
          expect(total).toBeGreaterThan(lock);
        }
      }
    },
  );

  test.each<[string, Duration, string]>([
    [
      '0 days',
      Duration.days(0),
      '`accessLogRetention` must be a whole number of days from 1 to 3650 days, got: 0 days',
    ],
    [
      '36 hours',
      Duration.hours(36),
      '`accessLogRetention` must be a whole number of days from 1 to 3650 days, got: 1 day 12 hours',
    ],
    [
      '3651 days',
      Duration.days(3651),
      '`accessLogRetention` must be a whole number of days from 1 to 3650 days, got: 3651 days',
    ],
  ])('%s is rejected', (_name, accessLogRetention, message) => {
    // WHEN / THEN
    expect(() => newShared(() => ({ accessLogRetention }))).toThrow(message);
  });

  test('is rejected together with an existing bucket, whose lifecycle it would not change', () => {
    // WHEN / THEN
    expect(() =>
      newShared((stack) => ({
        accessLogRetention: Duration.days(400),
        accessLogsBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'existing-logs'),
      })),
    ).toThrow(
      '`accessLogRetention` only applies to the bucket this construct creates; set the lifecycle of your own `accessLogsBucket` instead, got: 400 days with an `accessLogsBucket`',
    );
  });
});

describe('with existing resources', () => {
  test('an imported key is used as is, with a warning for each statement it must already have', () => {
    // WHEN
    const { stack, shared, template } = newShared((s) => ({ encryptionKey: kms.Key.fromKeyArn(s, 'Key', KEY_ARN) }));

    // THEN
    expect(shared.encryptionKey.keyArn).toBe(KEY_ARN);
    // only the logs key is created
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::KMS::Alias', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: KEY_ARN });
    const annotations = Annotations.fromStack(stack);
    for (const sid of [
      'AllowAutoScalingServiceLinkedRoleUseOfTheKey',
      'AllowAutoScalingServiceLinkedRoleAttachmentOfPersistentResources',
      'AllowCloudWatchAlarmsToPublishToTheEncryptedTopic',
      'AllowEventBridgeRulesToPublishToTheEncryptedTopic',
    ]) {
      annotations.hasWarning(
        '/TestStack/Shared',
        `The key policy of the imported \`encryptionKey\` cannot be changed here; make sure it has the statement ${sid} [ack: multi-az-failover-service:importedKeyPolicy]`,
      );
    }
    expect(annotations.findWarning('*', Match.stringLikeRegexp('importedKeyPolicy'))).toHaveLength(4);
  });

  test('an imported logs key is used as is, with a warning for the CloudWatch Logs statement', () => {
    // WHEN
    const { stack, shared, template } = newShared((s) => ({
      logsEncryptionKey: kms.Key.fromKeyArn(s, 'LogsKey', KEY_ARN),
    }));

    // THEN
    expect(shared.logsEncryptionKey.keyArn).toBe(KEY_ARN);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.allResourcesProperties('AWS::Logs::LogGroup', { KmsKeyId: KEY_ARN });
    Annotations.fromStack(stack).hasWarning(
      '/TestStack/Shared',
      'The key policy of the imported `logsEncryptionKey` cannot be changed here; make sure it has the statement AllowCloudWatchLogsToEncryptThisConstructsLogGroups [ack: multi-az-failover-service:importedKeyPolicy]',
    );
  });

  test('a key defined in the same app receives the statements and no warning is raised', () => {
    // GIVEN
    const stack = newStack();
    const key = new kms.Key(stack, 'OwnKey');

    // WHEN
    const { shared, template } = newShared(() => ({ encryptionKey: key }), stack);

    // THEN
    expect(shared.encryptionKey).toBe(key);
    template.resourceCountIs('AWS::KMS::Key', 2);
    expect(keyStatements(stack, template, key).map((s) => s.Sid)).toEqual(
      expect.arrayContaining([
        'AllowAutoScalingServiceLinkedRoleUseOfTheKey',
        'AllowAutoScalingServiceLinkedRoleAttachmentOfPersistentResources',
        'AllowCloudWatchAlarmsToPublishToTheEncryptedTopic',
      ]),
    );
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('importedKeyPolicy'));
  });

  test('an existing topic is used: no topic and no CloudWatch key statement are created', () => {
    // WHEN
    const { shared, template } = newShared((s) => ({ alarmTopic: sns.Topic.fromTopicArn(s, 'Topic', TOPIC_ARN) }));

    // THEN
    expect(shared.alarmTopic.topicArn).toBe(TOPIC_ARN);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    expect(keyPolicySids(template)).not.toContain('AllowCloudWatchAlarmsToPublishToTheEncryptedTopic');
  });

  test('notificationEmails subscribe to the topic, existing or new', () => {
    // WHEN
    const { template } = newShared((s) => ({
      alarmTopic: sns.Topic.fromTopicArn(s, 'Topic', TOPIC_ARN),
      notificationEmails: ['oncall@example.com', 'payments-team@example.com'],
    }));

    // THEN
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'payments-team@example.com',
      TopicArn: TOPIC_ARN,
    });
  });

  test('an existing bucket is used: no bucket is created', () => {
    // WHEN
    const { shared, template } = newShared((s) => ({
      accessLogsBucket: s3.Bucket.fromBucketName(s, 'Bucket', 'payment-alb-logs'),
    }));

    // THEN
    expect(shared.accessLogsBucket.bucketName).toBe('payment-alb-logs');
    template.resourceCountIs('AWS::S3::Bucket', 0);
  });

  test('an existing VPC is used: no VPC, no flow logs', () => {
    // WHEN
    const { shared, template } = newShared((s) => ({ vpc: importedVpc(s) }));

    // THEN
    expect(shared.vpc.vpcId).toBe('vpc-0123456789abcdef0');
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.resourceCountIs('AWS::EC2::FlowLog', 0);
    template.resourceCountIs('AWS::IAM::Role', 0);
    template.resourcePropertiesCountIs(
      'AWS::Logs::LogGroup',
      { LogGroupName: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/flow-logs/')])] } },
      0,
    );
  });

  test('keyAdminRole and logAdminRole are the break-glass exceptions of the guard rails', () => {
    // WHEN
    const { stack, shared, template } = newShared((s) => ({
      keyAdminRole: iam.Role.fromRoleArn(s, 'KeyAdmin', 'arn:aws:iam::111122223333:role/key-custodian'),
      logAdminRole: iam.Role.fromRoleArn(s, 'LogAdmin', 'arn:aws:iam::111122223333:role/log-custodian'),
    }));

    // THEN
    for (const key of [shared.encryptionKey, shared.logsEncryptionKey]) {
      const deny = keyStatements(stack, template, key).find(
        (st) => st.Sid === 'DenyKeyLifecycleChangesExceptKeyAdministrators',
      );
      expect(deny.Condition.ArnNotLike['aws:PrincipalArn']).toEqual([
        expect.objectContaining({ 'Fn::Sub': expect.stringContaining('cfn-exec-role') }),
        'arn:aws:iam::111122223333:role/key-custodian',
      ]);
    }
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'DenyLogDeletionExceptLogAdministrators',
            Condition: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::111122223333:role/log-custodian'] } },
          }),
        ]),
      },
    });
  });

  test('with a synthesizer that has no execution role and no administrator, the guard rails are left out with warnings', () => {
    // GIVEN
    const stack = new Stack(new App(), 'CliStack', {
      env: { region: 'eu-west-1' },
      synthesizer: new CliCredentialsStackSynthesizer(),
    });

    // WHEN
    const { template } = newShared(() => ({}), stack);

    // THEN
    expect(JSON.stringify(template.toJSON())).not.toContain('DenyKeyLifecycleChangesExceptKeyAdministrators');
    expect(JSON.stringify(template.toJSON())).not.toContain('DenyLogRetentionChangesExceptAdministrators');
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findWarning('*', Match.stringLikeRegexp('guardRailsOff'))).toHaveLength(2);
    expect(annotations.findWarning('*', Match.stringLikeRegexp('logGuardRailsOff'))).toHaveLength(1);
  });

  test('sessionLogs reuses another destination and its Session document: no session log group, no document', () => {
    // GIVEN
    const stack = newStack();
    const first = new SharedResources(stack, 'First', { availabilityZones: ZONES });

    // WHEN
    const second = new SharedResources(stack, 'Second', { availabilityZones: ZONES, sessionLogs: first.sessionLogs });

    // THEN
    expect(second.sessionLogs).toBe(first.sessionLogs);
    Template.fromStack(stack).resourceCountIs('AWS::SSM::Document', 1);
    expect(JSON.stringify(stack.resolve(second.operatorPolicy!.document.toJSON()))).toContain(sessionDocumentId(first));
  });

  test('sessionLogs without a document gets a Session document of its own that logs to that destination', () => {
    // GIVEN
    const stack = newStack();
    const logGroup = new logs.LogGroup(stack, 'SessionLogs');
    const encryptionKey = new kms.Key(stack, 'SessionKey');

    // WHEN
    const shared = new SharedResources(stack, 'Shared', {
      availabilityZones: ZONES,
      sessionLogs: { logGroup, encryptionKey },
    });

    // THEN
    const documents = Object.values(Template.fromStack(stack).findResources('AWS::SSM::Document'));
    expect(documents).toHaveLength(1);
    expect(documents[0].Properties.Content.inputs).toMatchObject({
      cloudWatchLogGroupName: stack.resolve(logGroup.logGroupName),
      kmsKeyId: stack.resolve(encryptionKey.keyId),
    });
    expect(stack.resolve(shared.sessionLogs!.documentName)).toEqual({
      Ref: sessionDocumentId(shared),
    });
  });

  test('sessionLogs together with sessionLogging: true is rejected', () => {
    // GIVEN
    const stack = newStack();
    const first = new SharedResources(stack, 'First', { availabilityZones: ZONES });

    // WHEN / THEN
    expect(
      () =>
        new SharedResources(stack, 'Second', {
          availabilityZones: ZONES,
          sessionLogging: true,
          sessionLogs: first.sessionLogs,
        }),
    ).toThrow(
      '`sessionLogging` must not be true together with `sessionLogs`: `sessionLogs` reuses the session log group of another service, got: sessionLogging true and a sessionLogs destination',
    );
  });

  // https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-default-session-document.html
  test('accountSessionPreferences opts in to writing the account preferences, which the operator policy then allows', () => {
    // WHEN
    const { shared, template: withPreferences } = newShared(() => ({ accountSessionPreferences: true }));

    // THEN
    const names = Object.values(withPreferences.findResources('AWS::SSM::Document')).map((d) => d.Properties.Name);
    expect(names).toHaveLength(2);
    expect(names).toContain('SSM-SessionManagerRunShell');
    expect(JSON.stringify(Stack.of(shared).resolve(shared.operatorPolicy!.document.toJSON()))).toContain(
      ':document/SSM-SessionManagerRunShell',
    );
  });

  test('accountSessionPreferences without session logging is rejected', () => {
    // WHEN / THEN
    expect(() => newShared(() => ({ accountSessionPreferences: true, sessionLogging: false }))).toThrow(
      '`accountSessionPreferences` needs session logging (`sessionLogging` or `sessionLogs`), got: accountSessionPreferences true with sessionLogging false',
    );
  });

  test('with sessionLogging off, no session log group and no Session Manager preferences', () => {
    // WHEN
    const { shared, template } = newShared(() => ({ sessionLogging: false }));

    // THEN
    expect(shared.sessionLogs).toBeUndefined();
    expect(shared.operatorPolicy).toBeUndefined();
    template.resourceCountIs('AWS::SSM::Document', 0);
    template.resourcePropertiesCountIs(
      'AWS::Logs::LogGroup',
      { LogGroupName: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/sessions/')])] } },
      0,
    );
  });
});

describe('webAcl', () => {
  test('WebAclOption.fromWebAclArn creates no web ACL and no WAF logging', () => {
    // WHEN
    const { shared, template } = newShared(() => ({ webAcl: WebAclOption.fromWebAclArn(WEB_ACL_ARN) }));

    // THEN
    expect(shared.webAclArn).toBe(WEB_ACL_ARN);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 0);
    template.resourcePropertiesCountIs(
      'AWS::Logs::LogGroup',
      { LogGroupName: { 'Fn::Join': ['', Match.arrayWith(['aws-waf-logs-'])] } },
      0,
    );
  });

  test('WebAclOption.none() leaves webAclArn undefined', () => {
    // WHEN
    const { shared, template } = newShared(() => ({ webAcl: WebAclOption.none() }));

    // THEN
    expect(shared.webAclArn).toBeUndefined();
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
  });

  test('WebAclOption.managedRules(options) reaches the web ACL', () => {
    // WHEN
    const { template } = newShared(() => ({ webAcl: WebAclOption.managedRules({ rateLimitPerIp: 500 }) }));

    // THEN
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({ Statement: { RateBasedStatement: { Limit: 500, AggregateKeyType: 'IP' } } }),
      ]),
    });
  });
});

test('an invalid notification email is rejected', () => {
  // WHEN / THEN
  expect(() => newShared(() => ({ notificationEmails: ['oncall@example'] }))).toThrow(
    '`notificationEmails` must contain email addresses such as "ops@example.com", got: "oncall@example"',
  );
});

describe('validation of the shared-resource options', () => {
  test.each<[string, (stack: Stack) => ExtraProps, string]>([
    [
      'accessLogRetention 0 minutes',
      () => ({ accessLogRetention: Duration.minutes(0) }),
      '`accessLogRetention` must be a whole number of days from 1 to 3650 days, got: 0 minutes',
    ],
    [
      'accessLogRetention 4000 days',
      () => ({ accessLogRetention: Duration.days(4000) }),
      '`accessLogRetention` must be a whole number of days from 1 to 3650 days, got: 4000 days',
    ],
    [
      'accessLogRetention together with accessLogsBucket',
      (stack) => ({
        accessLogRetention: Duration.days(30),
        accessLogsBucket: s3.Bucket.fromBucketName(stack, 'Bucket', 'payment-alb-logs'),
      }),
      '`accessLogRetention` only applies to the bucket this construct creates; set the lifecycle of your own `accessLogsBucket` instead, got: 30 days with an `accessLogsBucket`',
    ],
    [
      'an invalid notification email',
      () => ({ notificationEmails: ['oncall@example.com', 'not-an-email'] }),
      '`notificationEmails` must contain email addresses such as "ops@example.com", got: "not-an-email"',
    ],
    [
      'notificationEmails with a repeated address',
      () => ({ notificationEmails: ['oncall@example.com', 'oncall@example.com'] }),
      '`notificationEmails` must not repeat an address, got "oncall@example.com" twice in ["oncall@example.com","oncall@example.com"]',
    ],
    [
      'an accessLogsBucket encrypted with a KMS key',
      (stack) => ({
        accessLogsBucket: new s3.Bucket(stack, 'KmsBucket', { encryption: s3.BucketEncryption.KMS }),
      }),
      '`accessLogsBucket` must use SSE-S3 encryption (S3-managed keys): ALB access logging supports no other encryption, got: a bucket encrypted with the KMS key "TestStack/KmsBucket/Key"',
    ],
  ])('rejects %s', (_name, props, message) => {
    // WHEN / THEN
    expect(() => newShared(props)).toThrow(message);
  });
});

describe('VPC endpoints and egress', () => {
  /** The logical ids of the private (or public) subnets' route tables of the new VPC. */
  function routeTables(template: Template, kind: 'Public' | 'Private'): string[] {
    return Object.keys(template.findResources('AWS::EC2::RouteTable')).filter((id) =>
      new RegExp(`^SharedVpcZoneEuWest1[ab]${kind}RouteTable`).test(id),
    );
  }

  // The interface endpoints the instances need, from AWS's pages:
  // - Systems Manager, https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html:
  //   com.amazonaws.region.ssm, com.amazonaws.region.ssmmessages and com.amazonaws.region.ec2messages
  //   for SSM Agent and Session Manager without internet access;
  // - the CloudWatch agent's logs and Session Manager's session logs,
  //   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch-logs-and-interface-VPC.html:
  //   com.amazonaws.region.logs (the agent collects no metrics: no monitoring endpoint);
  // - KMS (SSM Agent decrypts session data: "Create this endpoint if you want to use AWS KMS
  //   encryption for Session Manager", setup-create-vpc);
  // - CloudFormation (cfn-signal, https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-signal.html);
  // - S3 as a gateway endpoint, https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html:
  //   no charge, and routed by destination, so it also carries the Amazon Linux 2023 repositories'
  //   s3.dualstack names that an S3 interface endpoint's private DNS does not answer.
  test.each(['ssm', 'ssmmessages', 'ec2messages', 'logs', 'kms', 'cloudformation'])(
    'an interface endpoint for com.amazonaws.<region>.%s with private DNS in every zone’s private subnet',
    (service) => {
      // WHEN
      const { template } = newShared();

      // THEN
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        ServiceName: `com.amazonaws.eu-west-1.${service}`,
        PrivateDnsEnabled: true,
        SubnetIds: [
          { Ref: Match.stringLikeRegexp('^SharedVpcZoneEuWest1aPrivateSubnet') },
          { Ref: Match.stringLikeRegexp('^SharedVpcZoneEuWest1bPrivateSubnet') },
        ],
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^SharedVpcEndpointSecurityGroup'), 'GroupId'] }],
      });
    },
  );

  test('the endpoints are keyed by service under the VPC (construct ids are a contract)', () => {
    // WHEN
    const { shared } = newShared();

    // THEN
    const ids = shared.vpc.node.children
      .filter((c) => c.node.defaultChild instanceof ec2.CfnVPCEndpoint)
      .map((c) => c.node.id);
    expect(ids).toEqual([
      'SsmEndpoint',
      'SsmMessagesEndpoint',
      'Ec2MessagesEndpoint',
      'LogsEndpoint',
      'KmsEndpoint',
      'CloudFormationEndpoint',
      'S3Endpoint',
    ]);
  });

  test('an S3 gateway endpoint in the private subnets’ route tables only', () => {
    // WHEN
    const { template } = newShared();

    // THEN
    const [endpoint] = Object.values(
      template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Gateway' } }),
    );
    expect(endpoint.Properties.ServiceName).toEqual({
      'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']],
    });
    expect(endpoint.Properties.RouteTableIds.map((r: { Ref: string }) => r.Ref).sort()).toEqual(
      routeTables(template, 'Private').sort(),
    );
  });

  test('the endpoints’ security group accepts HTTPS from the VPC only and sends nothing', () => {
    // WHEN
    const { template } = newShared();

    // THEN: the VPC's range as a literal, which scanners can check
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Interface VPC endpoints: HTTPS from the VPC only',
      SecurityGroupIngress: [
        Match.objectLike({
          CidrIp: '10.0.0.0/16',
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
        }),
      ],
      // aws-cdk-lib's placeholder rule of a group without egress
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
    });
  });

  test('ENDPOINTS_ONLY (the default): no NAT gateway, and no route off the VPC from the private subnets', () => {
    // WHEN
    const { template } = newShared();

    // THEN
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::EIP', 0);
    // the only routes are the public subnets' default routes to the internet gateway
    const routes = Object.values(template.findResources('AWS::EC2::Route'));
    expect(routes.map((r) => r.Properties.RouteTableId.Ref).sort()).toEqual(routeTables(template, 'Public').sort());
    for (const route of routes) {
      expect(route.Properties).toEqual(
        expect.objectContaining({ DestinationCidrBlock: '0.0.0.0/0', GatewayId: expect.anything() }),
      );
    }
  });

  test('INTERNET: one NAT gateway and a default route through it per zone, and the same endpoints', () => {
    // WHEN
    const { template } = newShared(() => ({ egress: EgressMode.INTERNET }));

    // THEN
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 7);
    for (const zone of ['a', 'b']) {
      template.hasResourceProperties('AWS::EC2::Route', {
        RouteTableId: { Ref: Match.stringLikeRegexp(`^SharedVpcZoneEuWest1${zone}PrivateRouteTable`) },
        DestinationCidrBlock: '0.0.0.0/0',
        NatGatewayId: { Ref: Match.stringLikeRegexp(`^SharedVpcZoneEuWest1${zone}PublicNATGateway`) },
      });
    }
  });

  test('the NAT gateways keep their construct ids under INTERNET (Vpc/Zone<Name>/Public/NATGateway)', () => {
    // WHEN
    const { template } = newShared(() => ({ egress: EgressMode.INTERNET }));

    // THEN
    expect(Object.keys(template.findResources('AWS::EC2::NatGateway')).sort()).toEqual([
      expect.stringMatching(/^SharedVpcZoneEuWest1aPublicNATGateway[0-9A-F]{8}$/),
      expect.stringMatching(/^SharedVpcZoneEuWest1bPublicNATGateway[0-9A-F]{8}$/),
    ]);
  });

  test.each([EgressMode.ENDPOINTS_ONLY, EgressMode.INTERNET])(
    'with an existing vpc and %s, no VPC endpoint is created',
    (egress) => {
      // WHEN
      const { template } = newShared((s) => ({ vpc: importedVpc(s), egress }));

      // THEN
      template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
      template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
    },
  );

  test('with an existing vpc and ENDPOINTS_ONLY, synth warns that the VPC must provide the endpoints', () => {
    // WHEN
    const { stack } = newShared((s) => ({ vpc: importedVpc(s) }));

    // THEN
    const warnings = Annotations.fromStack(stack).findWarning(
      '/TestStack/Shared',
      Match.stringLikeRegexp('creates no VPC endpoints'),
    );
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings)).toContain('[ack: multi-az-failover-service:ownVpcEndpoints]');
  });

  test('with an existing vpc and INTERNET, no endpoint warning', () => {
    // WHEN
    const { stack } = newShared((s) => ({ vpc: importedVpc(s), egress: EgressMode.INTERNET }));

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('VPC endpoints'));
  });
});

describe('VPC endpoints', () => {
  test('nothing on the default hosts calls monitoring or STS: no endpoint for them', () => {
    // WHEN
    const { template } = newShared();

    // THEN
    for (const service of ['monitoring', 'sts']) {
      template.resourcePropertiesCountIs(
        'AWS::EC2::VPCEndpoint',
        { ServiceName: `com.amazonaws.eu-west-1.${service}` },
        0,
      );
    }
    template.resourceCountIs('AWS::EC2::VPCEndpoint', INTERFACE_ENDPOINTS.length + 1);
  });

  test('additionalEndpoints adds the endpoints an application calls, keyed by service name', () => {
    // WHEN
    const { shared } = newShared(() => ({
      additionalEndpoints: [
        ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
        ec2.InterfaceVpcEndpointAwsService.STS,
        ec2.InterfaceVpcEndpointAwsService.ECR,
      ],
    }));

    // THEN
    const vpc = shared.node.findChild('Vpc');
    for (const id of ['MonitoringEndpoint', 'StsEndpoint', 'EcrApiEndpoint']) {
      expect(vpc.node.tryFindChild(id)).toBeInstanceOf(ec2.InterfaceVpcEndpoint);
    }
    expect(vpc.node.children.filter((c) => c instanceof ec2.InterfaceVpcEndpoint)).toHaveLength(9);
  });

  test.each<[string, Partial<SharedResourcesProps>, string]>([
    [
      'a default endpoint',
      { additionalEndpoints: [ec2.InterfaceVpcEndpointAwsService.SSM] },
      '`additionalEndpoints` must name endpoints other than the ones the VPC always gets (ssm, ssmmessages, ec2messages, logs, kms, cloudformation), each once, got: ssm',
    ],
    [
      'an endpoint twice',
      { additionalEndpoints: [ec2.InterfaceVpcEndpointAwsService.STS, ec2.InterfaceVpcEndpointAwsService.STS] },
      '`additionalEndpoints` must name endpoints other than the ones the VPC always gets (ssm, ssmmessages, ec2messages, logs, kms, cloudformation), each once, got: sts, sts',
    ],
  ])('%s is rejected', (_case, props, message) => {
    // WHEN / THEN
    expect(() => newShared(() => props)).toThrow(message);
  });

  test('additionalEndpoints with your own vpc is rejected', () => {
    // WHEN / THEN
    expect(() =>
      newShared((stack) => ({
        vpc: importedVpc(stack),
        additionalEndpoints: [ec2.InterfaceVpcEndpointAwsService.STS],
      })),
    ).toThrow(
      '`additionalEndpoints` must be left out with `vpc`: the construct adds no endpoints to your own VPC, got: sts',
    );
  });
});

// Operator access that is logged and attributed (PCI DSS v4.0.1 10.2.1.2, 8.2.2, 8.4.2, 7.2.1).
describe('operator access', () => {
  /** The operator policy's statements after `payments-a` became a session target. */
  function operatorStatements(props: ExtraProps = {}): any[] {
    const { stack, shared } = newShared(() => props);
    shared.addSessionTargets([autoscaling.AutoScalingGroup.fromAutoScalingGroupName(stack, 'Group', 'payments-a')]);
    return stack.resolve(shared.operatorPolicy!.document.toJSON()).Statement;
  }

  // https://docs.aws.amazon.com/systems-manager/latest/userguide/session-preferences-run-as.html:
  // a tagged principal's session runs as the tagged OS user; with Run As, no session falls back on ssm-user.
  test('sessions on the instances are allowed only to principals whose SSMSessionRunAs tag names an operator user', () => {
    // GIVEN / WHEN
    const statements = operatorStatements({ operatorUsers: ['alice', 'bob'] });

    // THEN
    const onInstances = statements.find((st) => st.Sid === 'StartSessionsOnThisServicesInstancesAsOwnOsUser');
    expect(onInstances.Condition.StringEquals['aws:PrincipalTag/SSMSessionRunAs']).toEqual(['alice', 'bob']);
  });

  test('without operatorUsers nobody may start a session on the instances', () => {
    // GIVEN / WHEN
    const { stack, shared } = newShared();
    shared.addSessionTargets([autoscaling.AutoScalingGroup.fromAutoScalingGroupName(stack, 'Group', 'payments-a')]);

    // THEN
    const statements = stack.resolve(shared.operatorPolicy!.document.toJSON()).Statement;
    expect(
      statements.filter((st: any) => st.Effect === 'Allow' && JSON.stringify(st.Resource).includes(':instance/')),
    ).toEqual([]);
  });

  // https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-logging.html:
  // "Logging isn't available for Session Manager sessions that connect through port forwarding or SSH".
  test('the AWS-owned SSH, port-forwarding and command documents are denied', () => {
    // GIVEN / WHEN
    const statements = operatorStatements({ operatorUsers: ['alice'] });

    // THEN
    const deny = statements.find((st) => st.Sid === 'DenyUnloggedSessionDocuments');
    expect(deny.Effect).toBe('Deny');
    expect(deny.Action).toBe('ssm:StartSession');
    const resources = JSON.stringify(deny.Resource);
    for (const name of [
      'AWS-StartSSHSession',
      'AWS-StartPortForwardingSession',
      'AWS-StartPortForwardingSessionToRemoteHost',
      'AWS-StartInteractiveCommand',
    ]) {
      expect(resources).toContain(`:ssm:*:*:document/${name}"`);
    }
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-connect-methods.html
  test('EC2 Instance Connect keys are denied on the instances of the session targets', () => {
    // GIVEN / WHEN
    const statements = operatorStatements({ operatorUsers: ['alice'] });

    // THEN
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'ec2-instance-connect:SendSSHPublicKey',
          Condition: { StringEquals: { 'aws:ResourceTag/aws:autoscaling:groupName': ['payments-a'] } },
        }),
      ]),
    );
  });

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent
  test('by default sessions without MFA are denied', () => {
    // GIVEN / WHEN
    const statements = operatorStatements({ operatorUsers: ['alice'] });

    // THEN
    const deny = statements.find((st) => st.Sid === 'DenySessionsWithoutMfa');
    expect(deny).toMatchObject({
      Effect: 'Deny',
      Action: 'ssm:StartSession',
      Condition: {
        BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' },
        StringEquals: { 'ssm:resourceTag/aws:autoscaling:groupName': ['payments-a'] },
      },
    });
  });

  test('with an identity provider that enforces MFA the policy carries no MFA condition', () => {
    // GIVEN / WHEN
    const statements = operatorStatements({
      operatorUsers: ['alice'],
      operatorMfa: OperatorMfa.ENFORCED_BY_IDENTITY_PROVIDER,
    });

    // THEN
    expect(JSON.stringify(statements)).not.toContain('aws:MultiFactorAuthPresent');
  });

  test.each([
    [
      ['Alice'],
      '`operatorUsers` must be Linux user names (a lowercase letter or underscore, then up to 31 lowercase letters, digits, underscores or hyphens), got: "Alice"',
    ],
    [
      ['ssm-user'],
      '`operatorUsers` must not name an account that exists on the image or that Session Manager refuses (root, ssm-user, ec2-user, nobody, bin, daemon, adm, sshd), got: "ssm-user"',
    ],
    [['alice', 'alice'], '`operatorUsers` must not repeat a name, got: "alice" twice'],
  ])('operatorUsers %j is refused', (operatorUsers, message) => {
    expect(() => newShared(() => ({ operatorUsers }))).toThrow(message);
  });
});

// Log integrity (PCI DSS v4.0.1 10.3.2).
describe('access-log lock mode', () => {
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
  test('governance mode by default', () => {
    // GIVEN / WHEN
    const { template } = newShared();

    // THEN
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } } },
    });
  });

  test('accessLogsLockMode COMPLIANCE locks the access logs in compliance mode', () => {
    // GIVEN / WHEN
    const { template } = newShared(() => ({ accessLogsLockMode: s3.ObjectLockMode.COMPLIANCE }));

    // THEN
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } } },
    });
  });

  test('accessLogsLockMode is refused with your own accessLogsBucket', () => {
    expect(() =>
      newShared((stack) => ({
        accessLogsBucket: s3.Bucket.fromBucketName(stack, 'Own', 'own-logs'),
        accessLogsLockMode: s3.ObjectLockMode.COMPLIANCE,
      })),
    ).toThrow(
      '`accessLogsLockMode` only applies to the bucket this construct creates; set Object Lock on your own `accessLogsBucket` instead, got: COMPLIANCE with an `accessLogsBucket`',
    );
  });
});

describe('tamper detection with an imported topic', () => {
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions:
  // EventBridge publishes only where the topic policy allows it; an imported topic's policy is not
  // the stack's, so synth says the rules may deliver nothing.
  test('warns that the rules publish only if the imported topic allows EventBridge', () => {
    // WHEN
    const { stack } = newShared((s) => ({ alarmTopic: sns.Topic.fromTopicArn(s, 'Imported', TOPIC_ARN) }));

    // THEN
    expect(
      Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('tamperEventsUndelivered')),
    ).toHaveLength(1);
  });

  test('does not warn with the topic the construct creates', () => {
    // WHEN
    const { stack } = newShared();

    // THEN
    expect(
      Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('tamperEventsUndelivered')),
    ).toHaveLength(0);
  });
});

// PCI DSS v4.0.1 10.4.1.1, 11.5.1: egress that the instances' security groups refuse is counted
// from the flow logs (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html) and
// alarms; the internet's scans refused at the load balancers are not counted.
describe('refused egress', () => {
  let stack: Stack;
  let shared: SharedResources;
  let template: Template;
  let pager: sns.Topic;
  beforeAll(() => {
    stack = newStack();
    pager = new sns.Topic(stack, 'Pager');
    ({ shared, template } = newShared(() => ({ alarmActions: [new cw_actions.SnsAction(pager)] }), stack));
  });

  /** The flow-log record fields of the template's flow log, in order. */
  const recordFields = () => {
    const [flowLog] = Object.values(template.findResources('AWS::EC2::FlowLog'));
    return [...(flowLog.Properties.LogFormat as string).matchAll(/\$\{([a-z0-9-]+)\}/g)].map((m) => m[1]);
  };

  test('a metric filter on the flow logs counts the REJECTed egress of instances to addresses outside the VPC', () => {
    // THEN
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter'));
    expect(filters).toHaveLength(1);
    const [filter] = filters;
    expect(filter.Properties.LogGroupName.Ref).toMatch(/^SharedFlowLogs/);
    const pattern: string = filter.Properties.FilterPattern;
    // every field of the record, in the record's order, so that each condition reads its own column
    const columns = pattern
      .slice(1, -1)
      .split(', ')
      .map((column) => column.split(/\s*(?:!=|=)\s*/)[0]);
    expect(columns).toEqual(recordFields().map((field) => field.replace(/-/g, '_')));
    expect(pattern).toContain('dstaddr != "10.0.*"');
    expect(pattern).toContain('action = "REJECT"');
    expect(pattern).toContain('instance_id != "-"');
    expect(pattern).toContain('flow_direction = "egress"');
    expect(template.findResources('AWS::EC2::VPC')).toEqual({
      [Object.keys(template.findResources('AWS::EC2::VPC'))[0]]: expect.objectContaining({
        Properties: expect.objectContaining({ CidrBlock: '10.0.0.0/16' }),
      }),
    });
    expect(filter.Properties.MetricTransformations).toEqual([
      expect.objectContaining({ MetricNamespace: 'MultiAzFailoverService', MetricValue: '1' }),
    ]);
  });

  test("any refused egress in 5 minutes notifies the topic and the user's alarmActions", () => {
    // THEN
    const [filter] = Object.values(template.findResources('AWS::Logs::MetricFilter'));
    const [transformation] = filter.Properties.MetricTransformations;
    expect(shared.refusedEgressAlarm).toBeDefined();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: Match.anyValue(),
      Namespace: transformation.MetricNamespace,
      MetricName: transformation.MetricName,
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [stack.resolve(shared.alarmTopic.topicArn), stack.resolve(pager.topicArn)],
    });
  });

  test('with your own VPC, whose flow logs the construct does not read, there is no refused-egress alarm', () => {
    // WHEN
    const { shared: own, template: ownTemplate } = newShared((s) => ({ vpc: importedVpc(s, ZONES) }));

    // THEN
    expect(own.refusedEgressAlarm).toBeUndefined();
    ownTemplate.resourceCountIs('AWS::Logs::MetricFilter', 0);
  });
});
