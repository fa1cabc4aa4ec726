import { Aws, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, DependencyGroup } from 'constructs';
import { createAuditLogGroup } from './audit-logs';
import { addServiceEndpoints } from './endpoints';
import { EgressMode } from '../egress-mode';
import { acknowledge, compliancePacks } from '../private/acknowledge';
import { zoneCidrSlot, zoneConstructId } from '../private/zones';

/** The VPC's address range. Each zone's slot (see `zoneCidrSlot`) takes a fixed part of it. */
export const VPC_CIDR = '10.0.0.0/16';

/** Every address of {@link VPC_CIDR} as a CloudWatch Logs filter-pattern wildcard. */
export const VPC_ADDRESS_WILDCARD = '10.0.*';

/**
 * The fields of the flow-log records, in order: the default fields and the v3 to v5 fields an
 * investigation needs: which instance, which way, the packet's real source and destination behind
 * NAT, and the TCP flags (scans, resets)
 * (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
 */
export const FLOW_LOG_FORMAT: ec2.LogFormat[] = [
  ec2.LogFormat.ALL_DEFAULT_FIELDS,
  ec2.LogFormat.VPC_ID,
  ec2.LogFormat.SUBNET_ID,
  ec2.LogFormat.INSTANCE_ID,
  ec2.LogFormat.TCP_FLAGS,
  ec2.LogFormat.PKT_SRC_ADDR,
  ec2.LogFormat.PKT_DST_ADDR,
  ec2.LogFormat.FLOW_DIRECTION,
];

/** The names of the flow-log fields of {@link FLOW_LOG_FORMAT}, in record order (`srcaddr`, `log-status`...). */
export function flowLogFieldNames(): string[] {
  return FLOW_LOG_FORMAT.flatMap((format) => [...format.value.matchAll(/\$\{([a-z0-9-]+)\}/g)].map((m) => m[1]));
}

/** The public /24 of a zone's slot: slot 0 is 10.0.0.0/24, slot 2 is 10.0.2.0/24. */
function publicCidr(slot: number): string {
  return `10.0.${slot}.0/24`;
}

/** The private /20 of a zone's slot: slot 0 is 10.0.16.0/20, slot 14 is 10.0.240.0/20. */
function privateCidr(slot: number): string {
  return `10.0.${(slot + 1) * 16}.0/20`;
}

/**
 * A VPC whose subnets are keyed by zone: for each zone, a public subnet (a /24, the load
 * balancers and, with `EgressMode.INTERNET`, the zone's NAT gateway) and a private subnet (a /20,
 * the instances), under the construct `Vpc/Zone<Name>` and at the address range of the zone's
 * letter. The private subnets reach AWS through VPC endpoints (see `addServiceEndpoints`) in
 * either mode; only `EgressMode.INTERNET` adds a NAT gateway and a default route per zone.
 * Without that route the private subnets are isolated in aws-cdk-lib's terms, but they stay
 * registered as private subnets with egress (their egress is the endpoints): the tiers select
 * them that way in both modes, and a subnet's construct id and address range never depend on
 * the mode. aws-cdk-lib's `Vpc` allocates subnets by position, so removing the first zone would
 * move every other zone's subnets (same construct id, new zone, conflicting CIDR) and the
 * update would fail (aws/aws-cdk#6683); here a kept zone keeps its subnets, routes and NAT
 * gateway. The subnets are registered on the `Vpc` so that `selectSubnets` finds them by type,
 * zone and group name (`Public`, `Private`).
 *
 * Flow logs (all traffic) go to a log group encrypted with `encryptionKey` (the logs key), kept one year.
 */
export function createZoneKeyedVpc(
  scope: Construct,
  availabilityZones: string[],
  encryptionKey: kms.IKey,
  egress: EgressMode,
  additionalEndpoints: ec2.InterfaceVpcEndpointAwsService[],
  egressBuckets: s3.IBucket[] = [],
): ec2.Vpc {
  const vpc = new ec2.Vpc(scope, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr(VPC_CIDR),
    availabilityZones,
    // The subnets, the internet gateway and any NAT gateways are created below, keyed by zone.
    subnetConfiguration: [],
    natGateways: 0,
    restrictDefaultSecurityGroup: false,
  });
  acknowledge(
    vpc.node.defaultChild!,
    compliancePacks('VPCDefaultSecurityGroupClosed'),
    'No resource of this construct uses the default security group: the load balancers and instances have their own least-privilege groups. Closing it needs a Lambda-backed custom resource, which this construct avoids',
  );

  const igw = new ec2.CfnInternetGateway(vpc, 'IGW');
  const attachment = new ec2.CfnVPCGatewayAttachment(vpc, 'VPCGW', { internetGatewayId: igw.ref, vpcId: vpc.vpcId });
  if (vpc.internetConnectivityEstablished instanceof DependencyGroup) {
    vpc.internetConnectivityEstablished.add(attachment);
  }

  availabilityZones.forEach((availabilityZone, index) => {
    const zone = new Construct(vpc, zoneConstructId(availabilityZone, index));
    const slot = zoneCidrSlot(availabilityZone, index);
    const publicSubnet = new ec2.PublicSubnet(zone, 'Public', {
      vpcId: vpc.vpcId,
      availabilityZone,
      cidrBlock: publicCidr(slot),
      mapPublicIpOnLaunch: false,
    });
    publicSubnet.addDefaultInternetRoute(igw.ref, attachment);
    acknowledge(
      publicSubnet.node.findChild('DefaultRoute'),
      compliancePacks('VPCNoUnrestrictedRouteToIGW'),
      'Public subnets hold only the internet-facing load balancers and the NAT gateways, which need a default route to the internet gateway; instances run in private subnets',
    );
    const privateSubnet = new ec2.PrivateSubnet(zone, 'Private', {
      vpcId: vpc.vpcId,
      availabilityZone,
      cidrBlock: privateCidr(slot),
      mapPublicIpOnLaunch: false,
    });
    if (egress === EgressMode.INTERNET) {
      privateSubnet.addDefaultNatRoute(publicSubnet.addNatGateway().ref);
    }
    // The tags aws-cdk-lib's Vpc puts on its subnets, so that Vpc.fromLookup finds these by group.
    for (const [subnet, name] of [
      [publicSubnet, 'Public'],
      [privateSubnet, 'Private'],
    ] as const) {
      const onlySubnets = { includeResourceTypes: [ec2.CfnSubnet.CFN_RESOURCE_TYPE_NAME] };
      Tags.of(subnet).add('aws-cdk:subnet-name', name, onlySubnets);
      Tags.of(subnet).add('aws-cdk:subnet-type', name, onlySubnets);
    }
    vpc.publicSubnets.push(publicSubnet);
    vpc.privateSubnets.push(privateSubnet);
  });

  addServiceEndpoints(vpc, VPC_CIDR, vpc.privateSubnets, additionalEndpoints, egressBuckets);
  addFlowLogs(scope, vpc, encryptionKey);
  return vpc;
}

/**
 * Flow logs of all traffic to an encrypted log group kept one year, delivered by a role that
 * only the flow-log service of this account can assume (confused-deputy protection,
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html) and whose policy
 * exists before the flow log is created.
 */
function addFlowLogs(scope: Construct, vpc: ec2.Vpc, encryptionKey: kms.IKey): void {
  const stack = Stack.of(scope);
  // Kept one year and protected from deletion (see createAuditLogGroup).
  const flowLogs = createAuditLogGroup(scope, 'FlowLogs', 'flow-logs', encryptionKey, 365);
  const role = new iam.Role(scope, 'FlowLogsRole', {
    assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'ec2', resource: 'vpc-flow-log', resourceName: '*' }) },
      },
    }),
    description: 'Delivers VPC flow logs to their encrypted log group',
  });
  // A customer-managed policy scoped to this log group, not an inline one.
  const policy = new iam.ManagedPolicy(scope, 'FlowLogsPolicy', {
    description: 'Write VPC flow logs to their log group',
    roles: [role],
    statements: [
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [flowLogs.logGroupArn],
      }),
    ],
  });
  const flowLog = vpc.addFlowLog('All', {
    destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs, role.withoutPolicyUpdates()),
    trafficType: ec2.FlowLogTrafficType.ALL,
    // Aggregated every minute rather than every 10 minutes (PCI DSS v4.0.1 10.2.1).
    logFormat: FLOW_LOG_FORMAT,
    maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
  });
  // Flow-log creation checks that the role may write to the log group.
  flowLog.node.addDependency(policy);
}
