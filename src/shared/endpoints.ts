import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DependencyGroup } from 'constructs';
import { interfaceEndpointPolicy, s3EndpointPolicy } from './endpoint-policies';

/**
 * The interface endpoints every VPC that the construct creates gets, keyed by construct id
 * (`Vpc/<Id>`: an id is a contract, so never rename one), each with what on the default hosts
 * calls it. This list is the one place the endpoints are named: the docs, the warning for your own
 * VPC and the tests read it.
 */
export const INTERFACE_ENDPOINTS: ReadonlyArray<
  readonly [id: string, service: ec2.InterfaceVpcEndpointAwsService, calledBy: string]
> = [
  [
    'SsmEndpoint',
    ec2.InterfaceVpcEndpointAwsService.SSM,
    'SSM Agent registers the instance and reads its configuration (https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html)',
  ],
  [
    'SsmMessagesEndpoint',
    ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES,
    'SSM Agent: Session Manager channels, and since agent 3.3.40.0 its message gateway (same page)',
  ],
  [
    'Ec2MessagesEndpoint',
    ec2.InterfaceVpcEndpointAwsService.EC2_MESSAGES,
    'SSM Agent before 3.3.40.0, still listed as required by the same page: images with an older agent (a pinned machineImage) need it',
  ],
  [
    'LogsEndpoint',
    ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
    'the CloudWatch agent ships the host logs, SSM Agent streams session logs (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch-logs-and-interface-VPC.html)',
  ],
  [
    'KmsEndpoint',
    ec2.InterfaceVpcEndpointAwsService.KMS,
    "SSM Agent decrypts session data with the logs key (kms:Decrypt; the setup-create-vpc page: for Session Manager's KMS encryption)",
  ],
  [
    'CloudFormationEndpoint',
    ec2.InterfaceVpcEndpointAwsService.CLOUDFORMATION,
    "cfn-signal tells the zone group's creation policy that the instance is healthy (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-signal.html)",
  ],
];

/** The endpoints' service names as users write them: `ssm, ssmmessages, …`. */
export function interfaceEndpointNames(): string {
  return INTERFACE_ENDPOINTS.map(([, service]) => service.shortName).join(', ');
}

/**
 * The construct id of an endpoint that a user adds: `monitoring` gives `MonitoringEndpoint`,
 * `ecr.api` gives `EcrApiEndpoint`.
 */
export function additionalEndpointId(service: ec2.InterfaceVpcEndpointAwsService): string {
  return `${service.shortName
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}Endpoint`;
}

/**
 * Adds the VPC endpoints to a VPC the construct creates (whose address range is `vpcCidr`): the interface endpoints above, with
 * private DNS (the services' usual names resolve to the endpoints inside the VPC), one network
 * interface in each private subnet; and an S3 gateway endpoint in the private subnets' route
 * tables. S3 needs the gateway endpoint: the Amazon Linux 2023 repositories are S3 buckets served
 * under `s3.dualstack.<region>.amazonaws.com` names, which an S3 interface endpoint's private DNS
 * does not answer, whereas the gateway endpoint routes by destination address
 * (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html). Gateway endpoints
 * cost nothing.
 *
 * The endpoints join each private subnet's `internetConnectivityEstablished`, which the tiers'
 * Auto Scaling groups depend on: instances start once their zone's way out exists, whether that
 * is a NAT route, the endpoints, or both.
 *
 * Each endpoint whose service accepts a policy gets one (see `endpoint-policies.ts`): only this
 * account's principals on this account's resources, plus the AWS-owned resources the hosts need;
 * on S3, only the AWS-owned buckets and `egressBuckets`.
 */
export function addServiceEndpoints(
  vpc: ec2.Vpc,
  vpcCidr: string,
  privateSubnets: ec2.ISubnet[],
  additional: ec2.InterfaceVpcEndpointAwsService[] = [],
  egressBuckets: s3.IBucket[] = [],
): void {
  const securityGroup = new ec2.SecurityGroup(vpc, 'EndpointSecurityGroup', {
    vpc,
    description: 'Interface VPC endpoints: HTTPS from the VPC only',
    allowAllOutbound: false,
  });
  // The literal range, not the VPC's CidrBlock attribute: scanners (cdk-nag EC23 and the
  // restricted-ports rules) cannot read an attribute and would report the rule as open.
  securityGroup.addIngressRule(ec2.Peer.ipv4(vpcCidr), ec2.Port.tcp(443), 'HTTPS from the VPC');

  const all: Array<readonly [string, ec2.InterfaceVpcEndpointAwsService]> = [
    ...INTERFACE_ENDPOINTS.map(([id, service]) => [id, service] as const),
    ...additional.map((service) => [additionalEndpointId(service), service] as const),
  ];
  const endpoints: ec2.VpcEndpoint[] = all.map(([id, service]) => {
    const endpoint = vpc.addInterfaceEndpoint(id, {
      service,
      privateDnsEnabled: true,
      subnets: { subnets: privateSubnets },
      securityGroups: [securityGroup],
      // The ingress rule above, once, instead of one per endpoint.
      open: false,
    });
    for (const statement of interfaceEndpointPolicy(id) ?? []) {
      endpoint.addToPolicy(statement);
    }
    return endpoint;
  });
  const s3Endpoint = vpc.addGatewayEndpoint('S3Endpoint', {
    service: ec2.GatewayVpcEndpointAwsService.S3,
    subnets: [{ subnets: privateSubnets }],
  });
  for (const statement of s3EndpointPolicy(egressBuckets)) {
    s3Endpoint.addToPolicy(statement);
  }
  endpoints.push(s3Endpoint);

  for (const subnet of privateSubnets) {
    if (subnet.internetConnectivityEstablished instanceof DependencyGroup) {
      subnet.internetConnectivityEstablished.add(...endpoints);
    }
  }
}
