import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EgressMode, SharedResources, SharedResourcesProps } from '../src';
import { importedVpc, newStack } from './util';
import { AWS_OWNED_BUCKETS } from '../src/shared/endpoint-policies';

// PCI DSS v4.0.1 1.3.2: outbound traffic from the CDE is restricted to what is necessary. Without a
// policy, "the default endpoint policy grants full access to the endpoint"
// (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html): a host with
// another account's credentials could write to that account through any endpoint.

const ZONES = ['eu-west-1a', 'eu-west-1b'];
const ACCOUNT = { Ref: 'AWS::AccountId' };

function newShared(props: (stack: Stack) => Partial<SharedResourcesProps> = () => ({})) {
  const stack = newStack();
  const shared = new SharedResources(stack, 'Shared', { availabilityZones: ZONES, ...props(stack) });
  return { stack, shared, template: Template.fromStack(stack) };
}

/** The endpoint of `service` (`com.amazonaws.eu-west-1.<service>`) in the template. */
function endpointOf(template: Template, service: string): any {
  // The S3 gateway endpoint is the only gateway endpoint (its service name is a Fn::Join).
  const properties =
    service === 's3' ? { VpcEndpointType: 'Gateway' } : { ServiceName: `com.amazonaws.eu-west-1.${service}` };
  const found = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: properties }));
  expect(found).toHaveLength(1);
  return found[0];
}

function statementsOf(template: Template, service: string): any[] {
  return endpointOf(template, service).Properties.PolicyDocument?.Statement ?? [];
}

/** Whether a statement holds its callers to this account. */
function heldToThisAccount(statement: any): boolean {
  return JSON.stringify(statement.Condition?.StringEquals?.['aws:PrincipalAccount']) === JSON.stringify(ACCOUNT);
}

describe('interface endpoint policies', () => {
  test.each(['ssm', 'logs', 'kms', 'cloudformation'])(
    'the %s endpoint allows only this account’s principals on this account’s resources (ResourceAccount IfExists for actions without a resource)',
    (service) => {
      // WHEN
      const { template } = newShared();

      // THEN
      expect(statementsOf(template, service)).toContainEqual({
        Sid: 'ThisAccountToThisAccount',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: '*',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:PrincipalAccount': ACCOUNT },
          StringEqualsIfExists: { 'aws:ResourceAccount': ACCOUNT },
        },
      });
    },
  );

  test('every statement of every endpoint policy is held to this account, except reads of AWS-owned buckets and release signals to this stack', () => {
    // WHEN
    const { template } = newShared(() => ({ egressBuckets: [] }));

    // THEN
    const open = Object.values(template.findResources('AWS::EC2::VPCEndpoint'))
      .flatMap((endpoint: any) => endpoint.Properties.PolicyDocument?.Statement ?? [])
      .filter((statement: any) => !heldToThisAccount(statement))
      .map((statement: any) => [statement.Sid, statement.Action]);
    expect(open).toEqual(
      expect.arrayContaining([
        ['ReleaseSignalsToThisStack', 'cloudformation:SignalResource'],
        ['ReadAwsOwnedBuckets', 's3:GetObject'],
      ]),
    );
    expect(open).toHaveLength(2);
  });

  test('the ssm endpoint lets this account read AWS-owned documents (AWS-RunPatchBaseline) and public parameters, nothing else of AWS', () => {
    // WHEN
    const { template } = newShared();

    // THEN: AWS-owned documents have no account in their ARN
    // (https://github.com/aws-samples/data-perimeter-policy-examples/blob/main/vpc_endpoint_policies/ssm_endpoint_policy.json)
    expect(statementsOf(template, 'ssm')).toContainEqual({
      Sid: 'ThisAccountToAwsOwnedDocuments',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['ssm:DescribeDocument', 'ssm:GetDocument', 'ssm:GetParameter', 'ssm:GetParameters'],
      Resource: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, ':*:document/AWS*']] },
        {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, ':*:parameter/aws/*']],
        },
      ],
      Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } },
    });
    expect(statementsOf(template, 'ssm')).toHaveLength(2);
  });

  test('the cloudformation endpoint lets cfn-signal, which may call without credentials, signal this stack only', () => {
    // WHEN
    const { template } = newShared();

    // THEN: "cfn-signal does not require credentials" and CloudFormation then checks that the
    // instance belongs to the stack (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-signal.html)
    expect(statementsOf(template, 'cloudformation')).toContainEqual({
      Sid: 'ReleaseSignalsToThisStack',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'cloudformation:SignalResource',
      Resource: { Ref: 'AWS::StackId' },
    });
  });

  test.each(['logs', 'kms'])('the %s endpoint has the own-account statement only', (service) => {
    // WHEN
    const { template } = newShared();

    // THEN
    expect(statementsOf(template, service).map((s) => s.Sid)).toEqual(['ThisAccountToThisAccount']);
  });

  test.each(['ssmmessages', 'ec2messages'])(
    'the %s endpoint gets no policy: no AWS page read here says the service accepts one (docs/NETWORK.md)',
    (service) => {
      // WHEN
      const { template } = newShared();

      // THEN
      expect(endpointOf(template, service).Properties.PolicyDocument).toBeUndefined();
    },
  );

  test('additional endpoints get no policy: a service that accepts none would refuse the endpoint', () => {
    // WHEN
    const { template } = newShared(() => ({ additionalEndpoints: [ec2.InterfaceVpcEndpointAwsService.STS] }));

    // THEN
    expect(endpointOf(template, 'sts').Properties.PolicyDocument).toBeUndefined();
  });
});

describe('S3 gateway endpoint policy', () => {
  test('by default only the AWS-owned buckets of the table can be read, and nothing written', () => {
    // WHEN
    const { template } = newShared();

    // THEN
    const statements = statementsOf(template, 's3');
    expect(statements).toHaveLength(1);
    expect(statements[0]).toEqual({
      Sid: 'ReadAwsOwnedBuckets',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:GetObject',
      Resource: AWS_OWNED_BUCKETS.map(({ name }) => {
        const [before, after] = name.split('<region>');
        return {
          'Fn::Join': [
            '',
            after === undefined
              ? ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${before}/*`]
              : ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${before}`, { Ref: 'AWS::Region' }, `${after}/*`],
          ],
        };
      }),
    });
  });

  test('the table names the Amazon Linux 2023 repositories and the patch baseline snapshots', () => {
    // THEN: dnf reads al2023-repos-<region>-de612dc2 (named in AWS's data perimeter examples);
    // AWS-RunPatchBaseline reads patch-baseline-snapshot-<region>
    // (https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-operations-s3-buckets.html)
    expect(AWS_OWNED_BUCKETS.map(({ name }) => name)).toEqual(
      expect.arrayContaining(['al2023-repos-<region>-de612dc2', 'patch-baseline-snapshot-<region>']),
    );
  });

  test('the table names the patch baseline snapshot buckets of the two Regions that name them differently', () => {
    // THEN: "In the Middle East (Bahrain) Region (me-south-1) only, this S3 bucket uses a different
    // naming convention", likewise Africa (Cape Town)
    // (https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-minimum-s3-permissions.html)
    expect(AWS_OWNED_BUCKETS.filter(({ readByAgent }) => readByAgent).map(({ name }) => name)).toEqual(
      expect.arrayContaining([
        'patch-baseline-snapshot-me-south-1-uduvl7q8',
        'patch-baseline-snapshot-af-south-1-tbxdb5b9',
      ]),
    );
  });

  test('egressBuckets lets this account’s principals use those buckets and their objects, and no other bucket', () => {
    // WHEN
    const { stack, template } = newShared((s) => ({ egressBuckets: [new s3.Bucket(s, 'AppData')] }));

    // THEN
    const bucketId = stack.getLogicalId(stack.node.findChild('AppData').node.defaultChild as s3.CfnBucket);
    expect(statementsOf(template, 's3')).toContainEqual({
      Sid: 'ThisAccountToEgressBuckets',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Resource: [
        { 'Fn::GetAtt': [bucketId, 'Arn'] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
      ],
      Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } },
    });
    expect(statementsOf(template, 's3')).toHaveLength(2);
  });

  test('egressBuckets with an existing vpc is rejected', () => {
    // WHEN / THEN
    expect(() =>
      newShared((s) => ({ vpc: importedVpc(s), egressBuckets: [s3.Bucket.fromBucketName(s, 'AppData', 'app-data')] })),
    ).toThrow(
      '`egressBuckets` must be left out with `vpc`: the construct adds no S3 endpoint to your own VPC, got: 1 bucket(s)',
    );
  });

  test('the endpoint policy holds under INTERNET too (the gateway endpoint carries the Region’s S3 traffic)', () => {
    // WHEN
    const { template } = newShared(() => ({ egress: EgressMode.INTERNET }));

    // THEN
    expect(statementsOf(template, 's3').map((s) => s.Sid)).toEqual(['ReadAwsOwnedBuckets']);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: 'com.amazonaws.eu-west-1.kms',
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({ Sid: 'ThisAccountToThisAccount' })]),
      }),
    });
  });
});
