import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EgressMode, SharedResources, SharedResourcesProps } from '../src';
import { importedVpc, newStack } from './util';
import { DNS_FIREWALL_ALLOWED_DOMAINS } from '../src/shared/dns-firewall';

// Route 53 Resolver DNS Firewall filters the DNS queries of a VPC's resources through rule groups
// associated with the VPC (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-dns-firewall.html).

const ZONES = ['eu-west-1a', 'eu-west-1b'];

function newShared(props: (stack: Stack) => Partial<SharedResourcesProps> = () => ({})) {
  const stack = newStack();
  const shared = new SharedResources(stack, 'Shared', { availabilityZones: ZONES, ...props(stack) });
  return { stack, shared, template: Template.fromStack(stack) };
}

/** The logical id of the one resource of `type` in the template. */
function onlyId(template: Template, type: string, props: any = {}): string {
  const ids = Object.keys(template.findResources(type, props));
  expect(ids).toHaveLength(1);
  return ids[0];
}

describe('DNS Firewall (default: on, in the VPC the construct creates)', () => {
  test('the VPC gets one rule group: the allow-list first, then every other domain blocked with NXDOMAIN', () => {
    // WHEN
    const { template } = newShared();

    // THEN
    const allowed = onlyId(template, 'AWS::Route53Resolver::FirewallDomainList', {
      Properties: { Domains: DNS_FIREWALL_ALLOWED_DOMAINS.map(([domain]) => domain) },
    });
    const everything = onlyId(template, 'AWS::Route53Resolver::FirewallDomainList', { Properties: { Domains: ['*'] } });
    template.resourceCountIs('AWS::Route53Resolver::FirewallRuleGroup', 1);
    template.hasResourceProperties('AWS::Route53Resolver::FirewallRuleGroup', {
      FirewallRules: [
        {
          Priority: 100,
          Action: 'ALLOW',
          FirewallDomainListId: { 'Fn::GetAtt': [allowed, 'Id'] },
          FirewallDomainRedirectionAction: 'TRUST_REDIRECTION_DOMAIN',
        },
        {
          Priority: 200,
          Action: 'BLOCK',
          BlockResponse: 'NXDOMAIN',
          FirewallDomainListId: { 'Fn::GetAtt': [everything, 'Id'] },
        },
      ],
    });
  });

  test('the allow-list holds the AWS names the hosts resolve, EC2 host names and the VPC reverse zone, nothing else', () => {
    // THEN: the endpoints' private DNS names and the AL2023 repositories are under amazonaws.com;
    // EC2 private host names are <region>.compute.internal, or ec2.internal in us-east-1
    // (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-dns.html)
    expect(DNS_FIREWALL_ALLOWED_DOMAINS.map(([domain]) => domain)).toEqual([
      '*.amazonaws.com',
      'amazonaws.com',
      '*.compute.internal',
      '*.ec2.internal',
      '*.0.10.in-addr.arpa',
    ]);
  });

  test('the rule group is associated with the VPC the construct creates, at priority 9900 (the range is 100 to 9900), without mutation protection', () => {
    // WHEN
    const { template } = newShared();

    // THEN
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-route53resolver-firewallrulegroupassociation.html)
    const ruleGroup = onlyId(template, 'AWS::Route53Resolver::FirewallRuleGroup');
    template.resourceCountIs('AWS::Route53Resolver::FirewallRuleGroupAssociation', 1);
    template.hasResourceProperties('AWS::Route53Resolver::FirewallRuleGroupAssociation', {
      FirewallRuleGroupId: { 'Fn::GetAtt': [ruleGroup, 'Id'] },
      VpcId: { Ref: Match.stringLikeRegexp('^SharedVpc') },
      Priority: 9900,
      MutationProtection: 'DISABLED',
    });
  });

  test('no DNS Firewall resource has a fixed name (names are account-wide)', () => {
    // WHEN
    const { template } = newShared();

    // THEN
    for (const type of [
      'AWS::Route53Resolver::FirewallDomainList',
      'AWS::Route53Resolver::FirewallRuleGroup',
      'AWS::Route53Resolver::FirewallRuleGroupAssociation',
    ]) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(resource.Properties.Name).toBeUndefined();
      }
    }
  });
});

describe('DNS Firewall left out', () => {
  test.each<[string, (s: Stack) => Partial<SharedResourcesProps>]>([
    ['dnsFirewall: false', () => ({ dnsFirewall: false })],
    ['EgressMode.INTERNET', () => ({ egress: EgressMode.INTERNET })],
    ['your own vpc', (s) => ({ vpc: importedVpc(s) })],
  ])('with %s there is no DNS Firewall', (_, props) => {
    // WHEN
    const { template } = newShared(props);

    // THEN
    template.resourceCountIs('AWS::Route53Resolver::FirewallRuleGroupAssociation', 0);
    template.resourceCountIs('AWS::Route53Resolver::FirewallRuleGroup', 0);
    template.resourceCountIs('AWS::Route53Resolver::FirewallDomainList', 0);
  });

  test.each<[string, (s: Stack) => Partial<SharedResourcesProps>, string]>([
    [
      'dnsFirewall: true with your own vpc',
      (s) => ({ vpc: importedVpc(s), dnsFirewall: true }),
      '`dnsFirewall` must be left out or false with `vpc`: the construct never associates a DNS Firewall rule group with your own VPC, got: true',
    ],
    [
      'dnsFirewall: true under INTERNET',
      () => ({ egress: EgressMode.INTERNET, dnsFirewall: true }),
      '`dnsFirewall` must be left out or false under `EgressMode.INTERNET`: its allow-list holds only AWS names, and the instances call third parties by name, got: true',
    ],
  ])('%s is refused', (_, props, message) => {
    // WHEN / THEN
    expect(() => newShared(props)).toThrow(message);
  });
});
