import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53resolver from 'aws-cdk-lib/aws-route53resolver';
import { Construct } from 'constructs';

/**
 * The domains the hosts of a VPC that the construct creates may resolve, with why: every other
 * query is answered NXDOMAIN by a Route 53 Resolver DNS Firewall rule (PCI DSS v4.0.1 1.3.2: DNS
 * is an outbound channel too, and a query for `<data>.attacker.example` leaves the VPC through
 * the Resolver even when no packet can). The one list of them (docs/NETWORK.md shows it).
 *
 * AWS's managed threat lists (`AWSManagedDomainsMalwareDomainList`, ...) are referenced by an id
 * that differs per Region and that CloudFormation cannot look up, so the construct uses an
 * allow-list and a block-all rule instead (see docs/NETWORK.md, "DNS").
 */
export const DNS_FIREWALL_ALLOWED_DOMAINS: ReadonlyArray<readonly [domain: string, why: string]> = [
  [
    '*.amazonaws.com',
    'the AWS service endpoints (the interface endpoints answer these names inside the VPC through private DNS) and S3, whose gateway endpoint carries the Amazon Linux 2023 repositories under al2023-repos-<region>-de612dc2.s3.dualstack.<region>.amazonaws.com',
  ],
  ['amazonaws.com', 'the apex, which *.amazonaws.com does not cover'],
  ['*.compute.internal', "EC2's private DNS host names (ip-10-0-1-5.eu-west-1.compute.internal)"],
  ['*.ec2.internal', "EC2's private DNS host names in us-east-1 (ip-10-0-1-5.ec2.internal)"],
  ['*.0.10.in-addr.arpa', "reverse lookups of the VPC's own addresses (10.0.0.0/16)"],
];

/** The priority of the construct's rule group among those associated with the VPC: the last that an association may take, so that rule groups you associate (100 to 9899) are evaluated first. */
export const DNS_FIREWALL_PRIORITY = 9900;

/**
 * A DNS Firewall rule group (`DnsFirewall`) associated with `vpc`, a VPC the construct created:
 * priority 100 allows {@link DNS_FIREWALL_ALLOWED_DOMAINS}, priority 200 blocks every other
 * domain with NXDOMAIN. No names are set: CloudFormation names each resource, so two stacks in an
 * account never collide.
 */
export function addDnsFirewall(scope: Construct, vpc: ec2.IVpc): void {
  const firewall = new Construct(scope, 'DnsFirewall');
  const allowed = new route53resolver.CfnFirewallDomainList(firewall, 'AllowedDomains', {
    domains: DNS_FIREWALL_ALLOWED_DOMAINS.map(([domain]) => domain),
  });
  const everything = new route53resolver.CfnFirewallDomainList(firewall, 'AllDomains', { domains: ['*'] });
  const ruleGroup = new route53resolver.CfnFirewallRuleGroup(firewall, 'RuleGroup', {
    firewallRules: [
      {
        priority: 100,
        action: 'ALLOW',
        firewallDomainListId: allowed.attrId,
        // An allowed name's CNAME chain is trusted instead of being checked name by name.
        firewallDomainRedirectionAction: 'TRUST_REDIRECTION_DOMAIN',
      },
      { priority: 200, action: 'BLOCK', blockResponse: 'NXDOMAIN', firewallDomainListId: everything.attrId },
    ],
  });
  new route53resolver.CfnFirewallRuleGroupAssociation(firewall, 'Association', {
    firewallRuleGroupId: ruleGroup.attrId,
    vpcId: vpc.vpcId,
    priority: DNS_FIREWALL_PRIORITY,
    // ENABLED would refuse any change or removal of the association, CloudFormation's included
    // (a stack deletion or an opt-out would fail until someone disables it by hand): unverified,
    // see docs/NETWORK.md. Tampering is left to the change alarms instead.
    mutationProtection: 'DISABLED',
  });
}
