import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { FailoverDashboard, FailoverDashboardProps, FailoverPriority, FailoverTier } from '../src';
import { AZS, importedVpc, logicalIdOf, newStack } from './util';

const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666';

/** A primary and a secondary tier over the imported test VPC, and a dashboard of both. */
function newDashboard(props: Partial<FailoverDashboardProps> = {}, stack: Stack = newStack()) {
  const vpc = importedVpc(stack);
  const shared = {
    vpc,
    availabilityZones: AZS,
    certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN),
    encryptionKey: new kms.Key(stack, 'Key'),
    accessLogsBucket: new s3.Bucket(stack, 'Bucket'),
    hostLogGroup: new logs.LogGroup(stack, 'HostLogs'),
  };
  const primary = new FailoverTier(stack, 'Primary', { ...shared, priority: FailoverPriority.PRIMARY });
  const secondary = new FailoverTier(stack, 'Secondary', { ...shared, priority: FailoverPriority.SECONDARY });
  const dashboard = new FailoverDashboard(stack, 'Dashboard', { tiers: [primary, secondary], ...props });
  return { stack, primary, secondary, dashboard, template: Template.fromStack(stack) };
}

/**
 * The dashboard body as an object: the `Fn::Join` is undone, with `{ Ref: X }` written as `Ref:X`
 * and `{ 'Fn::GetAtt': [X, A] }` as `GetAtt:X.A`.
 */
function dashboardBody(template: Template): any {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  const [separator, parts] = dashboard.Properties.DashboardBody['Fn::Join'];
  const text = (parts as any[])
    .map((part) => {
      if (typeof part === 'string') {
        return part;
      }
      if (part.Ref !== undefined) {
        return `Ref:${part.Ref}`;
      }
      if (part['Fn::GetAtt'] !== undefined) {
        return `GetAtt:${part['Fn::GetAtt'].join('.')}`;
      }
      throw new Error(`unexpected token in the dashboard body: ${JSON.stringify(part)}`);
    })
    .join(separator);
  return JSON.parse(text);
}

/** The widgets of one tier whose title starts with its name (`Primary: ...`). */
function widgetsOf(body: any, name: string): any[] {
  return body.widgets.filter((widget: any) => widget.properties.title?.startsWith(`${name}:`));
}

/** A metric line of a graph (`[namespace, name, dim1, value1, ..., options?]`) as its dimensions and options. */
function line(metric: any[]): { namespace: string; name: string; dimensions: Record<string, string>; options: any } {
  const hasOptions = typeof metric[metric.length - 1] === 'object';
  const options = hasOptions ? metric[metric.length - 1] : {};
  const pairs = metric.slice(2, hasOptions ? -1 : undefined);
  const dimensions: Record<string, string> = {};
  for (let i = 0; i < pairs.length; i += 2) {
    dimensions[pairs[i]] = pairs[i + 1];
  }
  return { namespace: metric[0], name: metric[1], dimensions, options };
}

describe('with two tiers', () => {
  let primary: FailoverTier;
  let secondary: FailoverTier;
  let template: Template;
  let body: any;
  beforeAll(() => {
    // GIVEN / WHEN
    ({ primary, secondary, template } = newDashboard());
    body = dashboardBody(template);
  });

  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-dashboard.html:
  // without DashboardName, CloudFormation generates a unique name.
  test('creates one dashboard and lets CloudFormation name it', () => {
    // THEN
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboard.Properties.DashboardName).toBeUndefined();
  });

  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html:
  // the target metrics are published per AvailabilityZone, TargetGroup and LoadBalancer.
  test.each([
    ['healthy hosts per zone', 'HealthyHostCount', 'Minimum'],
    ['target 5xx per zone', 'HTTPCode_Target_5XX_Count', 'Sum'],
    ['p99 latency (s) per zone', 'TargetResponseTime', 'p99'],
    ['requests per zone', 'RequestCount', 'Sum'],
  ])('each tier graphs %s: one line per zone, with the zone, target group and load balancer', (title, name, stat) => {
    for (const [label, tier] of [
      ['Primary', primary],
      ['Secondary', secondary],
    ] as const) {
      // THEN
      const [graph] = widgetsOf(body, label).filter((widget) => widget.properties.title === `${label}: ${title}`);
      expect(graph.properties.metrics.map(line)).toEqual(
        AZS.map((az) => ({
          namespace: 'AWS/ApplicationELB',
          name,
          dimensions: {
            AvailabilityZone: az,
            LoadBalancer: `GetAtt:${logicalIdOf(tier.loadBalancer)}.LoadBalancerFullName`,
            TargetGroup: `GetAtt:${logicalIdOf(tier.targetGroup)}.TargetGroupFullName`,
          },
          options: { label: az, period: 60, stat },
        })),
      );
    }
  });

  test("a tier's four per-zone graphs share one row, so that the zones compare at a glance", () => {
    // THEN
    for (const label of ['Primary', 'Secondary']) {
      const graphs = widgetsOf(body, label).filter((widget) => widget.properties.title.endsWith('per zone'));
      expect(graphs).toHaveLength(4);
      expect(new Set(graphs.map((graph) => graph.y)).size).toBe(1);
      expect(graphs.map((graph) => graph.x)).toEqual([0, 6, 12, 18]);
    }
  });

  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-cloudwatch.html: Route 53
  // health-check metrics are in US East (N. Virginia) only, whatever the endpoint's region.
  test.each([
    ['Primary', ['HTTPS', 'Capacity', 'Routing (both)']],
    ['Secondary', ['HTTPS', 'Capacity']],
  ])("the %s tier's health-check graph reads HealthCheckStatus of its checks from us-east-1", (label, lines) => {
    // GIVEN
    const tier = label === 'Primary' ? primary : secondary;
    const checks = [tier.healthCheck, tier.capacityHealthCheck, tier.routingHealthCheck];

    // THEN
    const [graph] = widgetsOf(body, label).filter((widget) => widget.properties.title.includes('Route 53'));
    expect(graph.properties.region).toBe('us-east-1');
    expect(graph.properties.metrics.map(line)).toEqual(
      lines.map((lineLabel, i) => ({
        namespace: 'AWS/Route53',
        name: 'HealthCheckStatus',
        dimensions: { HealthCheckId: `Ref:${logicalIdOf(checks[i])}` },
        options: { label: lineLabel, region: 'us-east-1', period: 60, stat: 'Minimum' },
      })),
    );
  });

  test("each tier's alarm widget shows every alarm of the tier and of its zones, the impaired zones first", () => {
    for (const [label, tier] of [
      ['Primary', primary],
      ['Secondary', secondary],
    ] as const) {
      // GIVEN
      const arn = (alarm: IConstruct) => `GetAtt:${logicalIdOf(alarm)}.Arn`;
      const expected = [
        ...tier.zonalFleets.map((fleet) => arn(fleet.impairedAlarm)),
        arn(tier.healthAlarm),
        ...tier.alarms.all.map(arn),
        ...tier.zonalFleets.flatMap((fleet) => fleet.alarms.map(arn)),
      ];

      // THEN
      const [widget] = widgetsOf(body, label).filter((w) => w.type === 'alarm');
      expect(widget.properties.alarms).toEqual(expected);
      // 1 health alarm, 6 tier alarms, and per zone 4 alarms and the composite
      expect(expected).toHaveLength(1 + 6 + AZS.length * 5);
    }
  });
});

test('passes a dashboard name through', () => {
  // WHEN
  const { template } = newDashboard({ dashboardName: 'payments-failover' });

  // THEN
  template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'payments-failover' });
});

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html: a name
// has up to 255 characters, "A-Z, a-z, 0-9, "-", and "_"".
test.each([
  ['an empty name', ''],
  ['a space', 'payments failover'],
  ['a slash', 'payments/failover'],
  ['256 characters', 'x'.repeat(256)],
])('refuses a dashboard name with %s', (_case, dashboardName) => {
  // WHEN / THEN
  expect(() => newDashboard({ dashboardName })).toThrow(
    `\`dashboardName\` must be 1 to 255 letters, digits, "-" and "_", got: ${JSON.stringify(dashboardName)}`,
  );
});

test('refuses an empty list of tiers', () => {
  // GIVEN
  const stack = newStack();

  // WHEN / THEN
  expect(() => new FailoverDashboard(stack, 'Dashboard', { tiers: [] })).toThrow(
    '`tiers` must contain at least one tier, got: []',
  );
});
