import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge, awsSolutions } from './acknowledge';
import { AWS_OWNED_BUCKETS, awsOwnedObjectArns } from '../shared/endpoint-policies';

/** What the instance policy is scoped to. */
export interface InstancePolicyProps {
  /** The tier, for the description. */
  readonly priority: string;
  /** The host log group the CloudWatch agent writes to. */
  readonly hostLogGroup: logs.ILogGroup;
  /** Where Session Manager logs sessions, if anywhere. */
  readonly sessionLogs?: { readonly logGroup: logs.ILogGroup; readonly encryptionKey: kms.IKey };
  /** The Parameter Store path the instances may read. */
  readonly parameterPrefix?: string;
}

/**
 * The instances' permissions, each scoped to what it serves
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-create-iam-instance-profile.html):
 * - Session Manager: `ssm:UpdateInstanceInformation` on this account's instances, and the four
 *   `ssmmessages` channel actions, which have no resource type;
 * - the CloudWatch agent: log streams of the host log group only (no `CreateLogGroup`, no
 *   `PutRetentionPolicy`: a compromised host cannot shorten or forge other logs);
 * - session logging: log streams of the session log group, `DescribeLogGroups` (the agent checks
 *   that the group is encrypted; the action has no resource type, so its statement names `*`), and
 *   `kms:Decrypt` on the session key;
 * - parameters under `parameterPrefix`, if set;
 * - `cloudformation:SignalResource` on this stack, for the release signals;
 * - inventory and patch-state reporting (PCI DSS v4.0.1 6.3.2, 6.3.3, 11.3.1): what the SSM agent
 *   calls to run State Manager associations of `AWS-GatherSoftwareInventory` and
 *   `AWS-RunPatchBaseline` (Operation `Scan`) that the account sets up (Quick Setup, a patch policy,
 *   Amazon Inspector), and to report their results: the inventory and patch subset of
 *   AmazonSSMManagedInstanceCore
 *   (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html),
 *   scoped per the Service Authorization Reference; and `s3:GetObject` on the AWS-owned buckets SSM
 *   Agent reads (`AWS_OWNED_BUCKETS` with `readByAgent`), which through a VPC endpoint it reads with
 *   the instance's credentials.
 */
export function instancePolicy(scope: Construct, role: iam.Role, props: InstancePolicyProps): iam.ManagedPolicy {
  const stack = Stack.of(scope);
  const streamsOf = (logGroup: logs.ILogGroup) =>
    new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [logGroup.logGroupArn],
    });
  const statements = [
    new iam.PolicyStatement({
      actions: ['ssm:UpdateInstanceInformation'],
      resources: [stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' })],
    }),
    new iam.PolicyStatement({
      actions: [
        'ssmmessages:CreateControlChannel',
        'ssmmessages:CreateDataChannel',
        'ssmmessages:OpenControlChannel',
        'ssmmessages:OpenDataChannel',
      ],
      resources: ['*'],
    }),
    streamsOf(props.hostLogGroup),
    // cfn-signal: the instances tell their group's creation policy that they are healthy. Without
    // credentials CloudFormation checks stack membership; with the instance's credentials it checks
    // this permission, on this stack only
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-signal.html).
    new iam.PolicyStatement({ actions: ['cloudformation:SignalResource'], resources: [stack.stackId] }),
    ...reportingStatements(stack),
  ];
  if (props.sessionLogs) {
    statements.push(
      streamsOf(props.sessionLogs.logGroup),
      // The Service Authorization Reference lists no resource type for DescribeLogGroups: a
      // statement that names a log-group ARN matches no request (build-tools/iam_check.py).
      new iam.PolicyStatement({ actions: ['logs:DescribeLogGroups'], resources: ['*'] }),
      new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [props.sessionLogs.encryptionKey.keyArn] }),
    );
  }
  if (props.parameterPrefix !== undefined) {
    const path = parameterPath(props.parameterPrefix);
    statements.push(
      new iam.PolicyStatement({
        actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
        resources: [
          // The path itself (for GetParametersByPath) and every parameter under it.
          stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: path.slice(1, -1) }),
          stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: `${path.slice(1)}*` }),
        ],
      }),
    );
  }
  const policy = new iam.ManagedPolicy(scope, 'InstancePolicy', {
    description: `Instances of the ${props.priority} tier: Session Manager, host logs, parameters`,
    roles: [role],
    statements,
  });
  // cdk-nag names each wildcard resource; the region and account as it prints them.
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const arnPrefix = (service: string) => `arn:<AWS::Partition>:${service}:${region}:<AWS::AccountId>`;
  acknowledge(
    policy.node.defaultChild!,
    [
      awsSolutions('IAM5[Resource::*]'),
      awsSolutions(`IAM5[Resource::${arnPrefix('ec2')}:instance/*]`),
      awsSolutions(`IAM5[Resource::${arnPrefix('ssm')}:association/*]`),
      ...AWS_OWNED_BUCKETS.filter(({ readByAgent }) => readByAgent).map(({ name }) =>
        awsSolutions(`IAM5[Resource::arn:<AWS::Partition>:s3:::${name.replace('<region>', '<AWS::Region>')}/*]`),
      ),
      ...REPORTING_DOCUMENTS.map((name) =>
        awsSolutions(`IAM5[Resource::arn:<AWS::Partition>:ssm:${region}:*:document/${name}]`),
      ),
      ...(props.parameterPrefix !== undefined
        ? [
            awsSolutions(
              `IAM5[Resource::${arnPrefix('ssm')}:parameter/${parameterPath(props.parameterPrefix).slice(1)}*]`,
            ),
          ]
        : []),
    ],
    "Wildcards only where AWS allows nothing narrower: the ssmmessages channel actions of Session Manager, logs:DescribeLogGroups (which the SSM agent calls, with session logging, to check that the session log group is encrypted), ssm:PutInventory and ssm:GetDeployablePatchSnapshotForInstance have no resource type in the Service Authorization Reference, so Resource is * (as in AWS's CloudWatchAgentServerPolicy, AmazonSSMManagedInstanceCore and the Session Manager guide's instance policy for CloudWatch Logs session logging); ssm:UpdateInstanceInformation and the association and compliance reporting actions name this account's instances and associations in this region (a launch template cannot name an instance before it exists, and the account creates the associations); the two AWS-owned documents of inventory and patch scanning have no account in their ARN, which the * account field matches; and parameterPrefix names a path, whose parameters are the wildcard",
  );
  return policy;
}

/** `parameterPrefix` with a trailing slash: `/payments/api` gives `/payments/api/`. */
function parameterPath(prefix: string): string {
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/**
 * The AWS-owned documents of inventory and patch-state reporting: `AWS-GatherSoftwareInventory`
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/inventory-collection.html) and
 * `AWS-RunPatchBaseline`
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-aws-runpatchbaseline.html).
 */
const REPORTING_DOCUMENTS = ['AWS-GatherSoftwareInventory', 'AWS-RunPatchBaseline'];

/**
 * What the SSM agent needs to run the account's inventory and patch-scan associations and report
 * their results. The actions are AmazonSSMManagedInstanceCore's, each with the resource types the
 * Service Authorization Reference gives it: `PutInventory` and `GetDeployablePatchSnapshotForInstance`
 * have none (`*`); the association and compliance actions name this account's instances and
 * associations; `GetDocument`/`DescribeDocument` name the two AWS-owned documents, whose ARNs have
 * no account (`arn:aws:ssm:<region>::document/AWS-RunPatchBaseline`), matched by a `*` account.
 */
function reportingStatements(stack: Stack): iam.PolicyStatement[] {
  const instances = stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' });
  const associations = stack.formatArn({ service: 'ssm', resource: 'association', resourceName: '*' });
  return [
    new iam.PolicyStatement({
      sid: 'ReportInventoryAndPatchState',
      actions: ['ssm:PutInventory', 'ssm:GetDeployablePatchSnapshotForInstance'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'ReportAssociationsOfThisAccountsInstances',
      actions: ['ssm:ListInstanceAssociations', 'ssm:PutComplianceItems', 'ssm:UpdateInstanceAssociationStatus'],
      resources: [instances],
    }),
    new iam.PolicyStatement({
      sid: 'ReadAndReportThisAccountsAssociations',
      actions: ['ssm:DescribeAssociation', 'ssm:UpdateInstanceAssociationStatus'],
      resources: [associations],
    }),
    // Through a VPC endpoint, SSM Agent reads AWS's buckets (its document modules in
    // aws-ssm-<region>, the patch baseline snapshot, agent updates) with the instance's credentials:
    // "you must provide explicit permission in an Amazon EC2 instance profile ... Otherwise, your
    // resources can't access these public buckets"
    // (https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-minimum-s3-permissions.html).
    // The S3 gateway endpoint's policy allows the same objects (shared/endpoint-policies.ts).
    new iam.PolicyStatement({
      sid: 'ReadSystemsManagerBuckets',
      actions: ['s3:GetObject'],
      resources: awsOwnedObjectArns(true),
    }),
    new iam.PolicyStatement({
      sid: 'ReadTheReportingDocuments',
      actions: ['ssm:GetDocument', 'ssm:DescribeDocument'],
      resources: REPORTING_DOCUMENTS.map((name) =>
        stack.formatArn({ service: 'ssm', resource: 'document', resourceName: name, account: '*' }),
      ),
    }),
  ];
}
