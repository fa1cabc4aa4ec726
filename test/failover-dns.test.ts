import { CfnElement, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { FailoverDns, FailoverDnsProps, IFailoverTarget } from '../src';
import { importedZone, newStack, ZONE_ID } from './util';

/** The canonical hosted zone of Application Load Balancers in eu-west-1. */
const ALB_ZONE_ID = 'Z32O12XQLNTSW2';

/** A failover target made of an imported load balancer and an imported health check. */
function importedTarget(stack: Stack, name: string): IFailoverTarget {
  return {
    failoverLoadBalancer: elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(
      stack,
      `${name}LoadBalancer`,
      {
        loadBalancerArn: `arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/${name}/50dc6c495c0c9188`,
        securityGroupId: 'sg-0123456789abcdef0',
        loadBalancerDnsName: `${name}-123456789.eu-west-1.elb.amazonaws.com`,
        loadBalancerCanonicalHostedZoneId: ALB_ZONE_ID,
      },
    ),
    failoverHealthCheck: route53.HealthCheck.fromHealthCheckId(stack, `${name}HealthCheck`, `hc-${name}`),
  };
}

function newDns(props: Partial<FailoverDnsProps> = {}, stack: Stack = newStack()) {
  const dns = new FailoverDns(stack, 'Dns', {
    hostedZone: importedZone(stack),
    primary: importedTarget(stack, 'primary'),
    secondary: importedTarget(stack, 'secondary'),
    ...props,
  });
  return { stack, dns, template: Template.fromStack(stack) };
}

describe('with default props', () => {
  let dns: FailoverDns;
  let template: Template;
  beforeAll(() => {
    // GIVEN / WHEN
    ({ dns, template } = newDns());
  });

  test('creates exactly two records and nothing else', () => {
    // THEN
    template.resourceCountIs('AWS::Route53::RecordSet', 2);
    expect(Object.keys(template.toJSON().Resources)).toHaveLength(2);
  });

  test.each([
    ['PRIMARY', 'primary'],
    ['SECONDARY', 'secondary'],
  ])(
    'the %s record aliases its load balancer, evaluates target health and carries its health check',
    (failover, name) => {
      // THEN
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        HostedZoneId: ZONE_ID,
        Name: 'api.payments.example.com.',
        Type: 'A',
        Failover: failover,
        SetIdentifier: name,
        HealthCheckId: `hc-${name}`,
        AliasTarget: {
          DNSName: `dualstack.${name}-123456789.eu-west-1.elb.amazonaws.com`,
          HostedZoneId: ALB_ZONE_ID,
          EvaluateTargetHealth: true,
        },
      });
    },
  );

  test('domainName defaults to api in the zone', () => {
    // THEN
    expect(dns.domainName).toBe('api.payments.example.com');
  });

  test('the records are exposed: each member is the record of its failover role', () => {
    // THEN
    const record = (failover: string) =>
      Object.keys(template.findResources('AWS::Route53::RecordSet', { Properties: { Failover: failover } }));
    expect(record('PRIMARY')).toEqual([Stack.of(dns).getLogicalId(dns.primaryRecord.node.defaultChild as CfnElement)]);
    expect(record('SECONDARY')).toEqual([
      Stack.of(dns).getLogicalId(dns.secondaryRecord.node.defaultChild as CfnElement),
    ]);
  });
});

describe('recordName', () => {
  test.each([
    ['pay', 'pay.payments.example.com'],
    ['pay.eu', 'pay.eu.payments.example.com'],
    ['API-2', 'API-2.payments.example.com'],
    ['*', '*.payments.example.com'],
    ['*.eu', '*.eu.payments.example.com'],
    ['a'.repeat(63), `${'a'.repeat(63)}.payments.example.com`],
  ])('"%s" gives %s', (recordName, domainName) => {
    // WHEN
    const { dns, template } = newDns({ recordName });

    // THEN
    expect(dns.domainName).toBe(domainName);
    template.resourcePropertiesCountIs('AWS::Route53::RecordSet', { Name: `${domainName}.` }, 2);
  });

  test('a token is not checked', () => {
    // GIVEN
    const stack = newStack();
    const recordName = new CfnParameter(stack, 'RecordName').valueAsString;

    // WHEN
    const { template } = newDns({ recordName }, stack);

    // THEN
    template.resourcePropertiesCountIs(
      'AWS::Route53::RecordSet',
      { Name: { 'Fn::Join': ['', [{ Ref: 'RecordName' }, '.payments.example.com.']] } },
      2,
    );
  });

  const message = (value: string) =>
    `\`recordName\` must be one or more DNS labels relative to the hosted zone (letters, digits and hyphens, such as "api" or "pay.eu"), got: ${JSON.stringify(value)}`;

  test.each([
    ['bad_name!', 'an underscore and an exclamation mark'],
    ['', 'an empty name'],
    ['api.', 'a trailing dot'],
    ['.api', 'a leading dot'],
    ['-api', 'a label starting with a hyphen'],
    ['api-', 'a label ending with a hyphen'],
    ['pay..eu', 'an empty label'],
    ['pay.*', 'a wildcard that is not the first label'],
    ['api.payments.example.com ', 'a trailing space'],
    ['a'.repeat(64), 'a label of 64 characters'],
    [Array(4).fill('a'.repeat(50)).join('.'), 'a name of more than 200 characters'],
  ])('"%s" (%s) is rejected', (recordName) => {
    // GIVEN
    const stack = newStack();

    // WHEN / THEN
    expect(() => newDns({ recordName }, stack)).toThrow(message(recordName));
  });
});

describe('validation of the record options', () => {
  test.each<[string, (stack: Stack) => Partial<FailoverDnsProps>, string]>([
    [
      'recordName "bad_name!"',
      () => ({ recordName: 'bad_name!' }),
      '`recordName` must be one or more DNS labels relative to the hosted zone (letters, digits and hyphens, such as "api" or "pay.eu"), got: "bad_name!"',
    ],
    [
      'an empty recordName',
      () => ({ recordName: '' }),
      '`recordName` must be one or more DNS labels relative to the hosted zone (letters, digits and hyphens, such as "api" or "pay.eu"), got: ""',
    ],
    [
      'a recordName that already ends with the zone name',
      () => ({ recordName: 'api.payments.example.com' }),
      '`recordName` must be relative to the hosted zone payments.example.com (for example "api", not "api.payments.example.com"), got: "api.payments.example.com", which would become "api.payments.example.com.payments.example.com"',
    ],
  ])('rejects %s', (_name, props, message) => {
    // GIVEN
    const stack = newStack();

    // WHEN / THEN
    expect(() => newDns(props(stack), stack)).toThrow(message);
  });
});

describe('failoverRecordTtl: CNAME records with a TTL of our own', () => {
  let dns: FailoverDns;
  let template: Template;
  beforeAll(() => {
    // GIVEN / WHEN
    ({ dns, template } = newDns({ failoverRecordTtl: Duration.seconds(10) }));
  });

  // A CNAME record takes a TTL of our choosing; an alias record to a load balancer cannot (it is
  // served with the load balancer's 60 s). A CNAME record cannot be the zone apex, and the record
  // here never is.
  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html
  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-failover.html
  test.each([
    ['PRIMARY', 'primary'],
    ['SECONDARY', 'secondary'],
  ])(
    'the %s record is a CNAME to its load balancer with the TTL and its health check, without alias',
    (failover, name) => {
      // THEN
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        HostedZoneId: ZONE_ID,
        Name: 'api.payments.example.com.',
        Type: 'CNAME',
        TTL: '10',
        ResourceRecords: [`${name}-123456789.eu-west-1.elb.amazonaws.com`],
        Failover: failover,
        SetIdentifier: name,
        HealthCheckId: `hc-${name}`,
        AliasTarget: Match.absent(),
      });
    },
  );

  test('there are still exactly two records, exposed as primaryRecord and secondaryRecord', () => {
    // THEN
    template.resourceCountIs('AWS::Route53::RecordSet', 2);
    expect(dns.primaryRecord).toBeInstanceOf(route53.CnameRecord);
    expect(dns.secondaryRecord).toBeInstanceOf(route53.CnameRecord);
  });

  test('a TTL of 0 seconds still makes CNAME records', () => {
    // WHEN
    const { template: t } = newDns({ failoverRecordTtl: Duration.seconds(0) });

    // THEN
    t.resourcePropertiesCountIs('AWS::Route53::RecordSet', { Type: 'CNAME', TTL: '0' }, 2);
  });

  test('without it the records stay alias A records', () => {
    // WHEN
    const { dns: aliasDns } = newDns();

    // THEN
    expect(aliasDns.primaryRecord).toBeInstanceOf(route53.ARecord);
    expect(aliasDns.secondaryRecord).toBeInstanceOf(route53.ARecord);
  });

  test.each<[string, Partial<FailoverDnsProps>, string]>([
    [
      'an apex recordName ""',
      { recordName: '', failoverRecordTtl: Duration.seconds(10) },
      '`failoverRecordTtl` must be left out when `recordName` names the zone apex (payments.example.com), because a CNAME record cannot have the zone\'s own name: use alias records there, got: 10 seconds with `recordName` ""',
    ],
    [
      'an apex recordName "@"',
      { recordName: '@', failoverRecordTtl: Duration.seconds(10) },
      '`failoverRecordTtl` must be left out when `recordName` names the zone apex (payments.example.com), because a CNAME record cannot have the zone\'s own name: use alias records there, got: 10 seconds with `recordName` "@"',
    ],
    [
      'an apex recordName equal to the zone name',
      { recordName: 'payments.example.com', failoverRecordTtl: Duration.seconds(10) },
      '`failoverRecordTtl` must be left out when `recordName` names the zone apex (payments.example.com), because a CNAME record cannot have the zone\'s own name: use alias records there, got: 10 seconds with `recordName` "payments.example.com"',
    ],
    [
      'a TTL over 60 seconds',
      { failoverRecordTtl: Duration.seconds(61) },
      '`failoverRecordTtl` must be a whole number of seconds from 0 to 60 seconds, got: 1 minute 1 second',
    ],
    [
      'a TTL that is not whole seconds',
      { failoverRecordTtl: Duration.millis(1500) },
      '`failoverRecordTtl` must be a whole number of seconds from 0 to 60 seconds, got: 1 second 500 millis',
    ],
  ])('rejects %s', (_name, props, message) => {
    // WHEN / THEN
    expect(() => newDns(props)).toThrow(message);
  });
});
