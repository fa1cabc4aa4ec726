import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DependencyGroup } from 'constructs';

/**
 * The interface endpoints every VPC that the construct creates gets, keyed by construct id
 * (`Vpc/<Id>`: an id is a contract, so never rename one), with why the instances need each:
 *
 * - `ssm`, `ssmmessages`, `ec2messages`: SSM Agent and Session Manager
 *   (https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html);
 * - `monitoring`, `logs`: the CloudWatch agent's metrics and logs
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-interface-VPC.html,
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch-logs-and-interface-VPC.html);
 * - `kms`: Session Manager's session encryption with a KMS key, and applications that use the key;
 * - `sts`: SDKs and agents that assume roles or call STS regionally;
 * - `cloudformation`: cfn-signal, with which every new instance tells its Auto Scaling group's
 *   creation policy that it is healthy (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-signal.html).
 */
export const INTERFACE_ENDPOINTS: ReadonlyArray<readonly [string, ec2.InterfaceVpcEndpointAwsService]> = [
  ['SsmEndpoint', ec2.InterfaceVpcEndpointAwsService.SSM],
  ['SsmMessagesEndpoint', ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES],
  ['Ec2MessagesEndpoint', ec2.InterfaceVpcEndpointAwsService.EC2_MESSAGES],
  ['MonitoringEndpoint', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING],
  ['LogsEndpoint', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
  ['KmsEndpoint', ec2.InterfaceVpcEndpointAwsService.KMS],
  ['StsEndpoint', ec2.InterfaceVpcEndpointAwsService.STS],
  ['CloudFormationEndpoint', ec2.InterfaceVpcEndpointAwsService.CLOUDFORMATION],
];

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
 */
export function addServiceEndpoints(vpc: ec2.Vpc, vpcCidr: string, privateSubnets: ec2.ISubnet[]): void {
  const securityGroup = new ec2.SecurityGroup(vpc, 'EndpointSecurityGroup', {
    vpc,
    description: 'Interface VPC endpoints: HTTPS from the VPC only',
    allowAllOutbound: false,
  });
  // The literal range, not the VPC's CidrBlock attribute: scanners (cdk-nag EC23 and the
  // restricted-ports rules) cannot read an attribute and would report the rule as open.
  securityGroup.addIngressRule(ec2.Peer.ipv4(vpcCidr), ec2.Port.tcp(443), 'HTTPS from the VPC');

  const endpoints: ec2.VpcEndpoint[] = INTERFACE_ENDPOINTS.map(([id, service]) =>
    vpc.addInterfaceEndpoint(id, {
      service,
      privateDnsEnabled: true,
      subnets: { subnets: privateSubnets },
      securityGroups: [securityGroup],
      // The ingress rule above, once, instead of one per endpoint.
      open: false,
    }),
  );
  endpoints.push(
    vpc.addGatewayEndpoint('S3Endpoint', {
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: [{ subnets: privateSubnets }],
    }),
  );

  for (const subnet of privateSubnets) {
    if (subnet.internetConnectivityEstablished instanceof DependencyGroup) {
      subnet.internetConnectivityEstablished.add(...endpoints);
    }
  }
}
