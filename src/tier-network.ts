import { Annotations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { EgressMode } from './egress-mode';
import type { FailoverTierProps } from './failover-tier';
import { acknowledge, awsSolutions } from './private/acknowledge';
import { knownVpcCidr } from './private/vpc-cidr';

/**
 * A tier's network rules: the security groups of its load balancer and of its instances. The
 * load balancer may only talk to the instances (its egress rules are added when the target group
 * is attached), the instances only accept the load balancer and send HTTPS where `egress` says.
 */
export interface TierSecurityGroups {
  /** 443 (and 80 with `httpRedirect`) from the internet, out only to the instances. */
  readonly loadBalancer: ec2.SecurityGroup;
  /** 443 only from the load balancer; HTTPS out to the VPC's endpoints, S3, NAT or prefix lists. */
  readonly instances: ec2.SecurityGroup;
}

/**
 * Creates the tier's security groups (`LoadBalancerSecurityGroup`, `InstanceSecurityGroup`) in
 * `tier`, the FailoverTier itself, so that their construct paths are the tier's.
 */
export function tierSecurityGroups(tier: Construct, props: FailoverTierProps): TierSecurityGroups {
  const albSg = new ec2.SecurityGroup(tier, 'LoadBalancerSecurityGroup', {
    vpc: props.vpc,
    description: `Internet-facing ALB of the ${props.priority} tier: HTTPS${props.httpRedirect ? ', and HTTP for the redirect' : ' only'}`,
    allowAllOutbound: false,
  });
  acknowledge(
    albSg.node.defaultChild!,
    [awsSolutions('EC23')],
    'This is a public payment API: its load balancer accepts HTTPS (and, with httpRedirect, HTTP that is only redirected to HTTPS) from the internet, behind AWS WAF',
  );
  // Restricted egress (PCI DSS v4.0.1 1.3.2), see EgressMode. The description of INTERNET is the
  // one from before egress modes existed: a description change replaces the group.
  const egress = props.egress ?? EgressMode.ENDPOINTS_ONLY;
  const egressPrefixLists = props.egressPrefixLists;
  if (egressPrefixLists !== undefined && egressPrefixLists.length === 0) {
    throw new Error('`egressPrefixLists` must name at least one prefix list (leave it out for the default), got: []');
  }
  const instanceSg = new ec2.SecurityGroup(tier, 'InstanceSecurityGroup', {
    vpc: props.vpc,
    description:
      egress === EgressMode.INTERNET
        ? `Instances of the ${props.priority} tier: HTTPS from the tier ALB only, HTTPS out through NAT`
        : `Instances of the ${props.priority} tier: HTTPS from the tier ALB only, HTTPS out to VPC endpoints and S3`,
    allowAllOutbound: false,
  });
  const https = ec2.Port.tcp(443);
  // An imported VPC may not say its CIDR; the any-IPv4 rule below then covers the endpoints.
  const vpcCidr = knownVpcCidr(props.vpc);
  if (egressPrefixLists !== undefined && vpcCidr === undefined) {
    throw new Error(
      '`egressPrefixLists` needs a `vpc` whose CIDR is known, so that the instances can still reach its VPC endpoints (import it with `vpcCidrBlock`), got: a VPC without `vpcCidrBlock`',
    );
  }
  if (vpcCidr !== undefined && (egress === EgressMode.ENDPOINTS_ONLY || egressPrefixLists !== undefined)) {
    instanceSg.addEgressRule(ec2.Peer.ipv4(vpcCidr), https, 'HTTPS to the interface VPC endpoints');
  }
  for (const prefixList of egressPrefixLists ?? []) {
    instanceSg.addEgressRule(
      ec2.Peer.prefixList(prefixList.prefixListId),
      https,
      'HTTPS to an allow-listed prefix list',
    );
  }
  if (egressPrefixLists === undefined) {
    // The S3 prefix list's id differs per Region and CloudFormation cannot return it (no attribute
    // on AWS::EC2::VPCEndpoint, no intrinsic); a lookup needs credentials at synth and a custom
    // resource a Lambda function: so the id is the user's to pass, and the rule stays any-IPv4 until
    // then, which this warning says (docs/NETWORK.md, "Why 0.0.0.0/0 for S3").
    Annotations.of(tier).addWarningV2(
      'multi-az-failover-service:egressAnyIpv4',
      `The instances' security group allows HTTPS to 0.0.0.0/0: ${
        egress === EgressMode.INTERNET
          ? 'through the NAT gateways, anywhere on the internet'
          : "only the VPC's routes (no route off the VPC but the S3 gateway endpoint's) keep it to S3"
      }. Pass \`egressPrefixLists\` with the Region's S3 prefix list (com.amazonaws.<region>.s3: ` +
        '`ec2.PrefixList.fromPrefixListId` with the id from `aws ec2 describe-managed-prefix-lists`, or ' +
        '`ec2.PrefixList.fromLookup` where synth has credentials) so that the group itself allows only the VPC and S3. ' +
        'See docs/NETWORK.md, "Why 0.0.0.0/0 for S3".',
    );
    instanceSg.addEgressRule(
      ec2.Peer.anyIpv4(),
      https,
      egress === EgressMode.INTERNET
        ? 'HTTPS to AWS APIs and package repositories'
        : 'HTTPS to S3 through its gateway endpoint: the subnets route nothing else off the VPC',
    );
  }
  return { loadBalancer: albSg, instances: instanceSg };
}
