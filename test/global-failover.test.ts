import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  GlobalFailover,
  GlobalFailoverProps,
  GlobalFront,
  IRegionalService,
  MultiAzFailoverService,
  MultiAzFailoverServiceProps,
  WebAclOption,
} from '../src';
import { handBuiltRegionalService, importedVpc, ZONE_ID, ZONE_NAME } from './util';

const ACCOUNT = '111122223333';
const GLOBAL_NAME = `api.${ZONE_NAME}`;

function zone(stack: Stack): route53.IHostedZone {
  return route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: ZONE_ID, zoneName: ZONE_NAME });
}

/** A Regional service in its own stack and Region, accepting the global name. */
function regionalService(app: App, id: string, region: string, props: Partial<MultiAzFailoverServiceProps> = {}) {
  const stack = new Stack(app, id, { env: { account: ACCOUNT, region } });
  const azs = ['a', 'b', 'c'].map((z) => `${region}${z}`);
  const service = new MultiAzFailoverService(stack, 'Service', {
    hostedZone: zone(stack),
    recordName: GlobalFailover.regionalRecordName('api', region),
    globalDomainName: GLOBAL_NAME,
    vpc: importedVpc(stack, azs),
    availabilityZones: azs,
    certificate: acm.Certificate.fromCertificateArn(
      stack,
      'Certificate',
      `arn:aws:acm:${region}:${ACCOUNT}:certificate/0a1b2c3d-1111-2222-3333-444455556666`,
    ),
    webAcl: WebAclOption.none(),
    dashboard: false,
    ...props,
  });
  return { stack, service };
}

/** The multi-Region app: eu-west-1 primary, us-east-1 secondary, the global stack in us-east-1. */
function multiRegionApp(front?: GlobalFront, props: Partial<GlobalFailoverProps> = {}) {
  const app = new App();
  const eu = regionalService(app, 'PayEu', 'eu-west-1');
  const us = regionalService(app, 'PayUs', 'us-east-1');
  const globalStack = new Stack(app, 'PayGlobal', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const global = new GlobalFailover(globalStack, 'Global', {
    hostedZone: zone(globalStack),
    primary: eu.service,
    secondary: us.service,
    front,
    ...props,
  });
  const assembly = app.synth();
  const templates = Object.fromEntries(
    ['PayEu', 'PayUs', 'PayGlobal'].map((name) => [name, assembly.getStackByName(name).template]),
  );
  return { app, eu, us, globalStack, global, templates, template: Template.fromJSON(templates.PayGlobal) };
}

function globalWith(props: Partial<GlobalFailoverProps>, primary: Partial<IRegionalService> = {}) {
  const app = new App();
  const stack = new Stack(app, 'PayGlobal', { env: { account: ACCOUNT, region: 'us-east-1' } });
  return new GlobalFailover(stack, 'Global', {
    hostedZone: zone(stack),
    primary: handBuiltRegionalService(app, 'PayEu', 'eu-west-1', primary),
    secondary: handBuiltRegionalService(app, 'PayUs', 'us-east-1'),
    ...props,
  });
}

// Weak references: https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/README.md#reference-strength
// and https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getstackoutput.html
/** No Lambda function, custom resource or import in any template, and no reference left unresolved. */
function expectNothingAcrossRegions(templates: Record<string, any>): void {
  for (const [name, template] of Object.entries(templates)) {
    const types = Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type);
    expect({ name, forbidden: types.filter((t) => t === 'AWS::Lambda::Function' || t.startsWith('Custom::')) }).toEqual(
      {
        name,
        forbidden: [],
      },
    );
    expect({ name, imports: JSON.stringify(template).includes('Fn::ImportValue') }).toEqual({ name, imports: false });
    // Every Ref and Fn::GetAtt names something of its own template: a reference CDK left unresolved
    // would name a resource of another stack.
    const own = new Set([
      ...Object.keys(template.Resources ?? {}),
      ...Object.keys(template.Parameters ?? {}),
      'AWS::Region',
      'AWS::AccountId',
      'AWS::Partition',
      'AWS::URLSuffix',
      'AWS::StackName',
      'AWS::StackId',
      'AWS::NoValue',
    ]);
    const names: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) {
        node.forEach(walk);
      } else if (node !== null && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'Ref' && typeof value === 'string') {
            names.push(value);
          } else if (key === 'Fn::GetAtt') {
            names.push(Array.isArray(value) ? value[0] : String(value).split('.')[0]);
          }
          walk(value);
        }
      }
    };
    walk(template);
    expect({ name, foreign: names.filter((n) => !own.has(n)) }).toEqual({ name, foreign: [] });
  }
}

describe('GlobalFront.dns()', () => {
  let app: ReturnType<typeof multiRegionApp>;
  beforeAll(() => {
    app = multiRegionApp();
  });

  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-failover-alias.html
  test.each([
    ['PRIMARY', 'primary', 'eu-west-1'],
    ['SECONDARY', 'secondary', 'us-east-1'],
  ])(
    'the global %s record aliases the %s Region’s own failover record in the same zone, evaluating its health',
    (failover, id, region) => {
      // THEN
      app.template.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: `${GLOBAL_NAME}.`,
        Type: 'A',
        Failover: failover,
        SetIdentifier: id,
        HostedZoneId: ZONE_ID,
        AliasTarget: { DNSName: `api-${region}.${ZONE_NAME}`, HostedZoneId: ZONE_ID, EvaluateTargetHealth: true },
      });
    },
  );

  test('the global records carry no health check of their own (the aliased records carry them)', () => {
    // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
    const records = app.template.findResources('AWS::Route53::RecordSet');
    expect(Object.values(records).map((r: any) => r.Properties.HealthCheckId)).toEqual([undefined, undefined]);
  });

  test('each Regional service names its own records per Region and accepts the global name in its listener rule', () => {
    // THEN
    for (const [name, region] of [
      ['PayEu', 'eu-west-1'],
      ['PayUs', 'us-east-1'],
    ]) {
      const regional = Template.fromJSON(app.templates[name]);
      regional.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: `api-${region}.${ZONE_NAME}.`,
        Failover: 'PRIMARY',
      });
      regional.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        Priority: 1,
        Conditions: [
          {
            Field: 'host-header',
            HostHeaderConfig: { Values: [`api-${region}.${ZONE_NAME}`, GLOBAL_NAME, Match.anyValue()] },
          },
        ],
      });
    }
  });

  test('the global stack deploys after both Regional stacks', () => {
    expect(app.globalStack.dependencies.map((s) => s.stackName).sort()).toEqual(['PayEu', 'PayUs']);
  });

  test('the failover budget is the primary Region’s own, and its numbers are stack outputs', () => {
    // THEN
    expect(app.global.failoverBudget.paths).toEqual([
      app.eu.service.failoverBudget.httpsCheck,
      app.eu.service.failoverBudget.capacityAlarm,
    ]);
    expect(app.global.failoverBudget.worstCaseSeconds).toEqual(app.eu.service.failoverBudget.worstCaseSeconds);
    expect(app.global.failoverBudget.bestCaseSeconds).toEqual(app.eu.service.failoverBudget.bestCaseSeconds);
    app.template.hasOutput('*', { Value: String(app.global.failoverBudget.worstCaseSeconds) });
    app.template.hasOutput('*', { Value: String(app.global.failoverBudget.bestCaseSeconds) });
  });

  test('no stack of the app has a Lambda function, a custom resource or an import from another Region', () => {
    expectNothingAcrossRegions(app.templates);
  });
});

// The Region switch plan wired from the two services (issue 21 item 2; docs/REGION-SWITCH-PLAN.md).
describe('regionSwitchPlan', () => {
  const approver = (stack: Stack) => new iam.Role(stack, 'Approvers', { assumedBy: new iam.AccountRootPrincipal() });
  const pass1 = multiRegionApp(undefined, { regionSwitchPlan: true });

  test('pairs the primary tiers’ groups zone by zone, with the group ids read by weak references', () => {
    // THEN: one EC2 Auto Scaling block per zone, each the eu group and the us group of one zone
    // position, each an Fn::GetStackOutput of the group's AutoScalingGroupARN output.
    const plan = Object.values(pass1.template.findResources('AWS::ARCRegionSwitch::Plan'));
    expect(plan).toHaveLength(1);
    const blocks = JSON.stringify(plan[0].Properties.Workflows);
    const outputs = blocks.match(/"Fn::GetStackOutput"/g) ?? [];
    expect(outputs.length).toBeGreaterThanOrEqual(6);
    const pairs: unknown[][] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) {
        node.forEach(walk);
      } else if (node !== null && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'Asgs') pairs.push(value as unknown[]);
          walk(value);
        }
      }
    };
    walk(plan[0].Properties.Workflows);
    expect(pairs).toHaveLength(3);
    for (const pair of pairs) {
      expect(pair).toHaveLength(2);
      expect(JSON.stringify(pair[0])).toMatch(/"Fn::GetStackOutput".*PayEu/);
      expect(JSON.stringify(pair[1])).toMatch(/"Fn::GetStackOutput".*PayUs/);
    }
    expect(plan[0].Properties.PrimaryRegion).toEqual('eu-west-1');
    expect(plan[0].Properties.Regions).toEqual(['eu-west-1', 'us-east-1']);
  });

  test('reads both services’ health alarms and the global records’ set identifiers', () => {
    const plan = Object.values(pass1.template.findResources('AWS::ARCRegionSwitch::Plan'))[0];
    const text = JSON.stringify(plan.Properties);
    expect(text).toContain('"RecordSetIdentifier":"primary"');
    expect(text).toContain('"RecordSetIdentifier":"secondary"');
    expect((plan.Properties.AssociatedAlarms ?? {}) as object).not.toEqual({});
    expect(Object.keys(plan.Properties.AssociatedAlarms)).toHaveLength(4);
  });

  test('pass 1: the global records carry no health check; pass 2: the primary record carries the plan’s', () => {
    pass1.template.hasResourceProperties('AWS::Route53::RecordSet', {
      Failover: 'PRIMARY',
      HealthCheckId: Match.absent(),
    });
    const pass2 = multiRegionApp(undefined, {
      regionSwitchPlan: true,
      regionSwitchPlanHealthCheckId: 'abcdef01-2345-6789-abcd-ef0123456789',
    });
    pass2.template.hasResourceProperties('AWS::Route53::RecordSet', {
      Failover: 'PRIMARY',
      HealthCheckId: 'abcdef01-2345-6789-abcd-ef0123456789',
    });
    pass2.template.hasResourceProperties('AWS::Route53::RecordSet', {
      Failover: 'SECONDARY',
      HealthCheckId: Match.absent(),
    });
  });

  test('an approval role adds the approval step first', () => {
    const app = new App();
    const stack = new Stack(app, 'PayGlobal', { env: { account: ACCOUNT, region: 'us-east-1' } });
    new GlobalFailover(stack, 'Global', {
      hostedZone: zone(stack),
      primary: handBuiltRegionalService(app, 'PayEu', 'eu-west-1', {
        regionSwitchGroupArns: [groupArn('eu-west-1', 'a')],
      }),
      secondary: handBuiltRegionalService(app, 'PayUs', 'us-east-1', {
        regionSwitchGroupArns: [groupArn('us-east-1', 'a')],
      }),
      regionSwitchPlan: true,
      regionSwitchApprovalRole: approver(stack),
    });
    const plan = Object.values(Template.fromStack(stack).findResources('AWS::ARCRegionSwitch::Plan'))[0];
    expect(plan.Properties.Workflows[0].Steps[0].ExecutionBlockType).toEqual('ManualApproval');
  });

  test('no stack of the app has a Lambda function, a custom resource or an import from another Region', () => {
    expectNothingAcrossRegions(pass1.templates);
  });
});

// Route 53 publishes health-check metrics only in us-east-1
// (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html): the
// global stack there alarms on the global name and on the primary Region's own name, which the
// RegionLost drill observes (docs/DRILLS.md).
describe('the global alarms', () => {
  test('in us-east-1: HTTPS checks of the global name and of the primary Region’s name, each with an alarm to alarmActions', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'PayGlobal', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const pager = new sns.Topic(stack, 'Pager');

    // WHEN
    const global = new GlobalFailover(stack, 'Global', {
      hostedZone: zone(stack),
      primary: handBuiltRegionalService(app, 'PayEu', 'eu-west-1'),
      secondary: handBuiltRegionalService(app, 'PayUs', 'us-east-1'),
      healthCheckPath: '/ready',
      alarmActions: [new cw_actions.SnsAction(pager)],
    });
    const template = Template.fromStack(stack);

    // THEN
    for (const fqdn of [GLOBAL_NAME, `pay-eu-west-1.${ZONE_NAME}`]) {
      template.hasResourceProperties('AWS::Route53::HealthCheck', {
        HealthCheckConfig: Match.objectLike({
          Type: 'HTTPS',
          FullyQualifiedDomainName: fqdn,
          ResourcePath: '/ready',
          Port: 443,
        }),
      });
    }
    for (const alarm of [global.endToEndAlarm!, global.regionFailedOverAlarm!]) {
      const props = template.toJSON().Resources[stack.getLogicalId(alarm.node.defaultChild as CfnElement)].Properties;
      expect(props.MetricName).toEqual('HealthCheckStatus');
      expect(props.AlarmActions).toEqual([{ Ref: stack.getLogicalId(pager.node.defaultChild as CfnElement) }]);
    }
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('globalAlarmsUndelivered'));
  });

  test('without alarmActions synth warns that the global alarms notify nobody', () => {
    const app = new App();
    const stack = new Stack(app, 'PayGlobal', { env: { account: ACCOUNT, region: 'us-east-1' } });
    new GlobalFailover(stack, 'Global', {
      hostedZone: zone(stack),
      primary: handBuiltRegionalService(app, 'PayEu', 'eu-west-1'),
      secondary: handBuiltRegionalService(app, 'PayUs', 'us-east-1'),
    });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('notify nobody.*globalAlarmsUndelivered'));
  });

  test('outside us-east-1 there are no global alarms, and synth says why', () => {
    const app = new App();
    const stack = new Stack(app, 'PayGlobal', { env: { account: ACCOUNT, region: 'eu-central-1' } });
    const global = new GlobalFailover(stack, 'Global', {
      hostedZone: zone(stack),
      primary: handBuiltRegionalService(app, 'PayEu', 'eu-west-1'),
      secondary: handBuiltRegionalService(app, 'PayUs', 'us-east-1'),
    });
    expect(global.endToEndAlarm).toBeUndefined();
    expect(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).toEqual({});
    Annotations.fromStack(stack).hasWarning(
      '*',
      Match.stringLikeRegexp('only in us-east-1.*globalAlarmsOutsideUsEast1'),
    );
  });
});

/** A group ARN with its id, as a Region switch plan accepts it. */
function groupArn(region: string, name: string): string {
  return `arn:aws:autoscaling:${region}:${ACCOUNT}:autoScalingGroup:0a1b2c3d-1111-2222-3333-444455556666:autoScalingGroupName/${name}`;
}

describe('GlobalFront.accelerator()', () => {
  let app: ReturnType<typeof multiRegionApp>;
  beforeAll(() => {
    app = multiRegionApp(GlobalFront.accelerator());
  });

  test('one TCP listener on 443', () => {
    app.template.resourceCountIs('AWS::GlobalAccelerator::Listener', 1);
    app.template.hasResourceProperties('AWS::GlobalAccelerator::Listener', {
      Protocol: 'TCP',
      PortRanges: [{ FromPort: 443, ToPort: 443 }],
    });
  });

  // https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoints-endpoint-weights.unhealthy-endpoints.html
  test.each([
    ['eu-west-1', 100, 'PayEu'],
    ['us-east-1', 0, 'PayUs'],
  ])(
    'the %s group has a traffic dial of %d and both tiers’ load balancers, equal weights, client IPs preserved, by weak reference',
    (region, dial, stackName) => {
      const endpoint = {
        EndpointId: { 'Fn::GetStackOutput': Match.objectLike({ StackName: stackName, Region: region }) },
        Weight: 128,
        ClientIPPreservationEnabled: true,
      };
      app.template.hasResourceProperties('AWS::GlobalAccelerator::EndpointGroup', {
        EndpointGroupRegion: region,
        TrafficDialPercentage: dial,
        EndpointConfigurations: [endpoint, endpoint],
      });
    },
  );

  test('the global name is an alias A record to the accelerator, and both static IPs are outputs', () => {
    app.template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: `${GLOBAL_NAME}.`,
      Type: 'A',
      AliasTarget: { HostedZoneId: 'Z2BJ6XQ5FK7U4H' },
    });
    for (const index of [0, 1]) {
      app.template.hasOutput('*', {
        Value: { 'Fn::Select': [index, { 'Fn::GetAtt': [Match.anyValue(), 'Ipv4Addresses'] }] },
      });
    }
  });

  test('the budget is the target group’s health checks and Global Accelerator’s assumed reaction, without DNS', () => {
    const targetGroup = app.eu.service.failoverBudget.capacityAlarm.detectionSteps[0];
    expect(targetGroup.name).toEqual('Target group health checks');
    expect(app.global.failoverBudget.paths).toHaveLength(1);
    expect(app.global.failoverBudget.recordTtlSeconds).toEqual(0);
    expect(app.global.failoverBudget.worstCaseSeconds).toEqual(targetGroup.worstCaseSeconds + 30);
    app.template.hasOutput('*', { Value: String(app.global.failoverBudget.worstCaseSeconds) });
  });

  test('the global stack deploys after both Regional stacks', () => {
    expect(app.globalStack.dependencies.map((s) => s.stackName).sort()).toEqual(['PayEu', 'PayUs']);
  });

  test('no stack of the app has a Lambda function, a custom resource or an import from another Region', () => {
    expectNothingAcrossRegions(app.templates);
  });
});

describe('validation', () => {
  test.each<[string, () => unknown, string]>([
    [
      'the same Region twice',
      () => {
        const app = new App();
        const stack = new Stack(app, 'G', { env: { account: ACCOUNT, region: 'us-east-1' } });
        return new GlobalFailover(stack, 'Global', {
          hostedZone: zone(stack),
          primary: handBuiltRegionalService(app, 'A', 'eu-west-1'),
          secondary: handBuiltRegionalService(app, 'B', 'eu-west-1'),
        });
      },
      '`secondary` must run in another Region than `primary` (eu-west-1), got: eu-west-1',
    ],
    [
      'two Regional services under one record name',
      () => globalWith({}, { domainName: `pay-us-east-1.${ZONE_NAME}` }),
      `\`secondary\` must have a record name of its own, not the primary's pay-us-east-1.${ZONE_NAME} (both services would write the same failover records; for example \`recordName: GlobalFailover.regionalRecordName('api', 'us-east-1')\`), got: "pay-us-east-1.${ZONE_NAME}"`,
    ],
    [
      'Regional records of two types',
      () => globalWith({}, { recordType: route53.RecordType.CNAME }),
      "`secondary` must have failover records of the primary's type (CNAME), because the global records alias them with one type: give both services the same `failoverRecordTtl` choice, got: A",
    ],
    [
      'a Regional service in another zone',
      () =>
        globalWith(
          {},
          {
            hostedZone: route53.HostedZone.fromHostedZoneAttributes(new Stack(), 'Other', {
              hostedZoneId: 'ZOTHER',
              zoneName: ZONE_NAME,
            }),
          },
        ),
      `\`primary\` must have its failover records in \`hostedZone\` (${ZONE_ID}), because an alias record can only target a record in its own hosted zone, got: ZOTHER`,
    ],
    [
      'a Regional service under the global name',
      () => globalWith({}, { domainName: GLOBAL_NAME }),
      `\`primary\` must have a record name of its own, not the global name ${GLOBAL_NAME} (for example \`recordName: GlobalFailover.regionalRecordName('api', 'eu-west-1')\`), got: "${GLOBAL_NAME}"`,
    ],
    [
      'a Regional service that does not accept the global name',
      () => globalWith({}, { globalDomainName: undefined }),
      `\`primary\` must accept the global name: set \`globalDomainName: '${GLOBAL_NAME}'\` on its service (its certificate and listener rule), got: undefined`,
    ],
    [
      'a Region switch plan with the accelerator',
      () => globalWith({ front: GlobalFront.accelerator(), regionSwitchPlan: true }),
      '`regionSwitchPlan` must be left out with `GlobalFront.accelerator()`, because an ARC Region switch plan has no Global Accelerator execution block (and a custom Lambda block would add Lambda to the stacks): the accelerator fails over on its own; move traffic by hand with its traffic dials (see docs/MULTI-REGION.md), got: true',
    ],
    [
      'a maxFailoverTime under the DNS front’s worst case',
      () => globalWith({ maxFailoverTime: Duration.seconds(99) }),
      "`maxFailoverTime` must be at least the worst case of the global failover budget with GlobalFront.dns(), 100 seconds (path: Target group health checks 40 s + Resolver cache 60 s): shorten the primary Region's failover (its own `maxFailoverTime` names what to change), got: 99 seconds",
    ],
    [
      'a maxFailoverTime under the accelerator front’s worst case',
      () => globalWith({ front: GlobalFront.accelerator(), maxFailoverTime: Duration.seconds(69) }),
      "`maxFailoverTime` must be at least the worst case of the global failover budget with GlobalFront.accelerator(), 70 seconds (load balancer health: Target group health checks 40 s + Global Accelerator moves new connections 30 s (assumed)): shorten the primary Region's failover (its own `maxFailoverTime` names what to change), got: 69 seconds",
    ],
    [
      'a plan health check id without the plan',
      () => globalWith({ regionSwitchPlanHealthCheckId: 'abc' }),
      '`regionSwitchPlanHealthCheckId` needs `regionSwitchPlan: true`, got: "abc" with regionSwitchPlan false',
    ],
    [
      'a Region switch plan over a service without groups',
      () => globalWith({ regionSwitchPlan: true }),
      '`primary` must give `regionSwitchGroupArns` (the groups a Region switch plan raises) for `regionSwitchPlan`, got: none',
    ],
    [
      'a Region switch plan over services with different zone counts',
      () => {
        const app = new App();
        const stack = new Stack(app, 'G', { env: { account: ACCOUNT, region: 'us-east-1' } });
        return new GlobalFailover(stack, 'Global', {
          hostedZone: zone(stack),
          primary: handBuiltRegionalService(app, 'A', 'eu-west-1', {
            regionSwitchGroupArns: [groupArn('eu-west-1', 'a'), groupArn('eu-west-1', 'b')],
          }),
          secondary: handBuiltRegionalService(app, 'B', 'us-east-1', {
            regionSwitchGroupArns: [groupArn('us-east-1', 'a')],
          }),
          regionSwitchPlan: true,
        });
      },
      '`secondary` must have as many `regionSwitchGroupArns` as `primary` (2: the plan pairs them zone by zone), got: 1',
    ],
  ])('refuses %s', (_name, build, message) => {
    expect(build).toThrow(message);
  });

  test('accepts a maxFailoverTime equal to the worst case', () => {
    expect(() => globalWith({ maxFailoverTime: Duration.seconds(100) })).not.toThrow();
  });

  test.each([
    [
      'outside the zone',
      'api.example.org',
      `\`globalDomainName\` must be a fully qualified name in the hosted zone ${ZONE_NAME} (for example "api.${ZONE_NAME}"), got: "api.example.org"`,
    ],
    [
      'the service’s own name',
      `api-eu-west-1.${ZONE_NAME}`,
      `\`globalDomainName\` must differ from the service's own name \`recordName.zoneName\` (give each Region's service its own \`recordName\`, for example GlobalFailover.regionalRecordName('api', 'eu-west-1')), got: "api-eu-west-1.${ZONE_NAME}"`,
    ],
  ])('the service refuses a globalDomainName %s', (_name, globalDomainName, message) => {
    expect(() => regionalService(new App(), 'PayEu', 'eu-west-1', { globalDomainName })).toThrow(message);
  });

  test('the accelerator front warns about a warm standby secondary tier, whose tier takes half the Region’s traffic', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'G', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const primary = { ...handBuiltRegionalService(app, 'A', 'eu-west-1'), warmStandby: {} } as IRegionalService;
    // WHEN
    new GlobalFailover(stack, 'Global', {
      hostedZone: zone(stack),
      primary,
      secondary: handBuiltRegionalService(app, 'B', 'us-east-1'),
      front: GlobalFront.accelerator(),
    });
    // THEN
    Annotations.fromStack(stack).hasWarning(
      '/G/Global',
      Match.stringLikeRegexp('runs its secondary tier as a warm standby'),
    );
  });
});

// https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html: each name of the
// certificate is validated by a CNAME record in its zone; both names are in the service's zone.
test('the certificate the service creates covers the global name, validated in the same zone', () => {
  // GIVEN
  const app = new App();
  const { stack } = regionalService(app, 'PayEu', 'eu-west-1', { certificate: undefined });

  // THEN
  Template.fromStack(stack).hasResourceProperties('AWS::CertificateManager::Certificate', {
    DomainName: `api-eu-west-1.${ZONE_NAME}`,
    SubjectAlternativeNames: [GLOBAL_NAME],
    DomainValidationOptions: Match.arrayWith([{ DomainName: GLOBAL_NAME, HostedZoneId: ZONE_ID }]),
  });
});

test('the multi-Region example app writes three templates, none with a Lambda function, a custom resource or an import', () => {
  // GIVEN: the example as `synth:example:multi-region` runs it, into a folder of its own
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-region-'));
  process.env.CDK_OUTDIR = outdir;
  try {
    // WHEN
    // The example is a program, not a module: requiring it runs it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    jest.isolateModules(() => require('../examples/typescript/multi-region'));
  } finally {
    delete process.env.CDK_OUTDIR;
  }

  // THEN
  const names = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
  expect(names.sort()).toEqual([
    'PaymentApiEu.template.json',
    'PaymentApiGlobal.template.json',
    'PaymentApiUs.template.json',
  ]);
  expectNothingAcrossRegions(
    Object.fromEntries(names.map((n) => [n, JSON.parse(fs.readFileSync(path.join(outdir, n), 'utf-8'))])),
  );
});

test('a hand-built Regional service is accepted by both fronts', () => {
  expect(() => globalWith({})).not.toThrow();
  expect(() => globalWith({ front: GlobalFront.accelerator() })).not.toThrow();
});

/** Every RecordSet of the templates, with the stack it is in. */
function recordSets(templates: Record<string, any>): Array<{ stack: string; id: string; props: any }> {
  return Object.entries(templates).flatMap(([stack, template]) =>
    Object.entries(template.Resources as Record<string, { Type: string; Properties: any }>)
      .filter(([, r]) => r.Type === 'AWS::Route53::RecordSet')
      .map(([id, r]) => ({ stack, id, props: r.Properties })),
  );
}

const withoutDot = (name: string) => name.replace(/\.$/, '').toLowerCase();

describe.each([
  ['GlobalFront.dns()', () => multiRegionApp()],
  ['GlobalFront.accelerator()', () => multiRegionApp(GlobalFront.accelerator())],
])('AWS rules over the three templates with %s', (_front, build) => {
  let templates: Record<string, any>;
  beforeAll(() => {
    templates = build().templates;
  });

  // "Another record in this hosted zone": an alias can name a record only of its own zone.
  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-alias-common.html
  test('every alias to a name of the zone names a record in the alias’s own hosted zone', () => {
    const inZone = recordSets(templates).filter(
      (r) =>
        typeof r.props.AliasTarget?.DNSName === 'string' && withoutDot(r.props.AliasTarget.DNSName).endsWith(ZONE_NAME),
    );
    for (const r of inZone) {
      expect({ id: r.id, zone: r.props.AliasTarget.HostedZoneId }).toEqual({ id: r.id, zone: r.props.HostedZoneId });
    }
  });

  // "the alias record must have the same type as the record you're routing traffic to", and it
  // must exist: the Regional stacks of the app write it.
  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-failover-alias.html
  test('every alias to a record of the zone names a record of the app with the same type', () => {
    const all = recordSets(templates);
    for (const alias of all.filter(
      (r) =>
        typeof r.props.AliasTarget?.DNSName === 'string' && withoutDot(r.props.AliasTarget.DNSName).endsWith(ZONE_NAME),
    )) {
      const targetTypes = all
        .filter((r) => withoutDot(r.props.Name) === withoutDot(alias.props.AliasTarget.DNSName))
        .map((r) => r.props.Type);
      expect({ id: alias.id, types: [...new Set(targetTypes)] }).toEqual({ id: alias.id, types: [alias.props.Type] });
    }
  });

  // A failover group is one PRIMARY and one SECONDARY record of the same name and type; two stacks
  // writing the same name, type and set identifier in one zone would fight over one record.
  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-types.html
  test('each failover name has one PRIMARY and one SECONDARY record, and no record is written by two stacks', () => {
    const all = recordSets(templates);
    const keys = all.map(
      (r) => `${r.props.HostedZoneId} ${withoutDot(r.props.Name)} ${r.props.Type} ${r.props.SetIdentifier ?? ''}`,
    );
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    const failoverNames = new Set(all.filter((r) => r.props.Failover).map((r) => withoutDot(r.props.Name)));
    for (const name of failoverNames) {
      const roles = all
        .filter((r) => withoutDot(r.props.Name) === name && r.props.Failover)
        .map((r) => r.props.Failover);
      expect({ name, roles: roles.sort() }).toEqual({ name, roles: ['PRIMARY', 'SECONDARY'] });
    }
  });

  // An endpoint of weight 0 gets no traffic even while healthy, and failover between groups looks
  // for a healthy endpoint of weight above 0 (the traffic dial is ignored then); one group per
  // Region, all client IPs preserved.
  // https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoints-endpoint-weights.html
  // https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoints-endpoint-weights.unhealthy-endpoints.html
  test('every accelerator endpoint has a weight above 0 and keeps client IPs, with one group per Region and one dialled up', () => {
    const groups = Object.values(templates).flatMap((t) =>
      Object.values(t.Resources as Record<string, { Type: string; Properties: any }>).filter(
        (r) => r.Type === 'AWS::GlobalAccelerator::EndpointGroup',
      ),
    );
    const regions = groups.map((g) => g.Properties.EndpointGroupRegion);
    expect(new Set(regions).size).toEqual(regions.length);
    for (const group of groups) {
      for (const endpoint of group.Properties.EndpointConfigurations) {
        expect(endpoint).toEqual(expect.objectContaining({ ClientIPPreservationEnabled: true }));
        expect(endpoint.Weight ?? 128).toBeGreaterThan(0);
      }
    }
    if (groups.length > 0) {
      expect(groups.filter((g) => (g.Properties.TrafficDialPercentage ?? 100) > 0)).toHaveLength(1);
    }
  });
});
