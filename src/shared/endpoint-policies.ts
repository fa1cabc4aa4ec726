import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * What the VPC endpoints of a VPC that the construct creates let through (PCI DSS v4.0.1 1.3.2).
 * Without a policy, "the default endpoint policy grants full access to the endpoint"
 * (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html): a compromised
 * host with another account's credentials could send data to that account through any of them.
 * With these policies, a request through an endpoint must come from this account and act on this
 * account's resources, except for the AWS-owned resources listed here, each with the reason a
 * host needs it.
 */

/**
 * An S3 bucket owned by AWS that the hosts read through the S3 gateway endpoint. `<region>` in
 * `name` is the stack's Region.
 */
export interface AwsOwnedBucket {
  /** The bucket's name, with `<region>` for the stack's Region. */
  readonly name: string;
  /** What on the hosts reads it. */
  readonly readBy: string;
  /** The page that names the bucket. */
  readonly source: string;
  /** false when the name was found only outside AWS's documentation pages. */
  readonly verified: boolean;
  /**
   * true when SSM Agent reads it with the instance's credentials, so that through a VPC endpoint
   * the instance role must allow `s3:GetObject` on it too ("you must provide explicit permission in
   * an Amazon EC2 instance profile", https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-minimum-s3-permissions.html).
   */
  readonly readByAgent: boolean;
}

/**
 * The AWS-owned buckets the hosts may read (`s3:GetObject` only) through the S3 gateway endpoint:
 * the one table of them (docs/NETWORK.md shows it, test/shared-resources.test.ts reads it).
 * Every other bucket is refused at the endpoint unless you name it in `egressBuckets`.
 */
export const AWS_OWNED_BUCKETS: ReadonlyArray<AwsOwnedBucket> = [
  {
    name: 'al2023-repos-<region>-de612dc2',
    readBy:
      'dnf: the Amazon Linux 2023 package repositories of the Region (aws-cfn-bootstrap, amazon-cloudwatch-agent, rsyslog, updates)',
    source:
      "AWS's data perimeter examples (https://github.com/aws-samples/data-perimeter-policy-examples/blob/main/vpc_endpoint_policies/README.md), citing https://docs.aws.amazon.com/linux/al2023/ug/live-patching.html",
    verified: false,
    readByAgent: false,
  },
  {
    name: 'amazon-ssm-<region>',
    readBy: 'SSM Agent: agent updates (AWS-UpdateSSMAgent)',
    source: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-minimum-s3-permissions.html',
    verified: true,
    readByAgent: true,
  },
  {
    name: 'aws-ssm-<region>',
    readBy: 'SSM Agent: the content of AWS-owned SSM documents',
    source: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-minimum-s3-permissions.html',
    verified: true,
    readByAgent: true,
  },
  {
    name: 'aws-ssm-document-attachments-<region>',
    readBy: 'SSM Agent: attachments of AWS-owned SSM documents',
    source: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-minimum-s3-permissions.html',
    verified: true,
    readByAgent: true,
  },
  {
    name: 'patch-baseline-snapshot-<region>',
    readBy: 'SSM Agent: AWS-RunPatchBaseline reads the patch baseline snapshot',
    source: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-operations-s3-buckets.html',
    verified: true,
    readByAgent: true,
  },
  // Two Regions name the patch baseline snapshot bucket differently ("In the Middle East (Bahrain)
  // Region (me-south-1) only, this S3 bucket uses a different naming convention"). Listed in every
  // Region: an S3 gateway endpoint reaches only its own Region's buckets anyway.
  {
    name: 'patch-baseline-snapshot-me-south-1-uduvl7q8',
    readBy: 'SSM Agent: AWS-RunPatchBaseline, in me-south-1 only',
    source: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-minimum-s3-permissions.html',
    verified: true,
    readByAgent: true,
  },
  {
    name: 'patch-baseline-snapshot-af-south-1-tbxdb5b9',
    readBy: 'SSM Agent: AWS-RunPatchBaseline, in af-south-1 only',
    source: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-minimum-s3-permissions.html',
    verified: true,
    readByAgent: true,
  },
];

/** The object ARNs of the AWS-owned buckets in the stack's Region (those SSM Agent reads, with `agentOnly`). */
export function awsOwnedObjectArns(agentOnly = false): string[] {
  return AWS_OWNED_BUCKETS.filter(({ readByAgent }) => readByAgent || !agentOnly).map(
    ({ name }) => `arn:${Aws.PARTITION}:s3:::${name.replace('<region>', Aws.REGION)}/*`,
  );
}

/**
 * Any action, by this account's principals, on this account's resources. `aws:ResourceAccount`
 * with `IfExists`: an action that names no resource (`ssmmessages:CreateControlChannel`,
 * `logs:DescribeLogGroups`) has no resource account, and the principal condition still holds it
 * to this account's callers
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
 */
export function ownAccountStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'ThisAccountToThisAccount',
    principals: [new iam.AnyPrincipal()],
    actions: ['*'],
    resources: ['*'],
    conditions: {
      StringEquals: { 'aws:PrincipalAccount': Aws.ACCOUNT_ID },
      StringEqualsIfExists: { 'aws:ResourceAccount': Aws.ACCOUNT_ID },
    },
  });
}

/**
 * The statements each interface endpoint adds to {@link ownAccountStatement}, keyed by the
 * endpoint's construct id; an id that is missing gets no policy at all (`null`: AWS's pages
 * checked here do not say that the service accepts an endpoint policy, and a service that does
 * not refuses the endpoint).
 */
export function interfaceEndpointPolicy(id: string): iam.PolicyStatement[] | null {
  switch (id) {
    case 'SsmEndpoint':
      // AWS-owned documents (AWS-RunPatchBaseline, AWS-UpdateSSMAgent) and public parameters
      // (/aws/service/...) belong to no account of yours: only this account's callers may read
      // them (https://github.com/aws-samples/data-perimeter-policy-examples/blob/main/vpc_endpoint_policies/ssm_endpoint_policy.json
      // writes their ARNs with an empty account). The account is `*` here, which also matches an
      // empty one; the names keep it to AWS's: `aws` is a reserved document-name prefix and
      // parameter names cannot begin with `aws`
      // (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html,
      // https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html).
      return [
        ownAccountStatement(),
        new iam.PolicyStatement({
          sid: 'ThisAccountToAwsOwnedDocuments',
          principals: [new iam.AnyPrincipal()],
          actions: ['ssm:DescribeDocument', 'ssm:GetDocument', 'ssm:GetParameter', 'ssm:GetParameters'],
          resources: [
            `arn:${Aws.PARTITION}:ssm:${Aws.REGION}:*:document/AWS*`,
            `arn:${Aws.PARTITION}:ssm:${Aws.REGION}:*:parameter/aws/*`,
          ],
          conditions: { StringEquals: { 'aws:PrincipalAccount': Aws.ACCOUNT_ID } },
        }),
      ];
    case 'LogsEndpoint':
      // The CloudWatch agent and SSM Agent write this account's log groups: the own-account
      // statement covers them
      // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch-logs-and-interface-VPC.html).
      return [ownAccountStatement()];
    case 'KmsEndpoint':
      // SSM Agent's kms:Decrypt on this account's logs key
      // (https://docs.aws.amazon.com/kms/latest/developerguide/kms-vpc-endpoint.html).
      return [ownAccountStatement()];
    case 'CloudFormationEndpoint':
      // cfn-signal may call without credentials (CloudFormation then checks that the instance
      // belongs to the stack, https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-signal.html):
      // such a call has no principal account, so SignalResource on this stack is allowed to anyone.
      return [
        ownAccountStatement(),
        new iam.PolicyStatement({
          sid: 'ReleaseSignalsToThisStack',
          principals: [new iam.AnyPrincipal()],
          actions: ['cloudformation:SignalResource'],
          resources: [Aws.STACK_ID],
        }),
      ];
    default:
      // SsmMessagesEndpoint, Ec2MessagesEndpoint and the additional endpoints: no policy (see docs/NETWORK.md).
      return null;
  }
}

/**
 * The S3 gateway endpoint's policy: reads of the AWS-owned buckets (`dnf` reads the Amazon Linux
 * repositories without credentials, so no principal condition), and this account's principals on
 * `egressBuckets`. No other bucket, this account's included.
 */
export function s3EndpointPolicy(egressBuckets: s3.IBucket[]): iam.PolicyStatement[] {
  const statements = [
    new iam.PolicyStatement({
      sid: 'ReadAwsOwnedBuckets',
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      resources: awsOwnedObjectArns(),
    }),
  ];
  if (egressBuckets.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'ThisAccountToEgressBuckets',
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:*'],
        resources: egressBuckets.flatMap((bucket) => [bucket.bucketArn, bucket.arnForObjects('*')]),
        conditions: { StringEquals: { 'aws:PrincipalAccount': Aws.ACCOUNT_ID } },
      }),
    );
  }
  return statements;
}
