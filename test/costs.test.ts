import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { importedVpc } from './util';
import { MultiAzFailoverService, MultiAzFailoverServiceProps, RegionMode, SecondaryMode } from '../src';

// docs/COSTS.md prices what the construct creates. Its line-item tables state the counts; this
// file synthesizes the same configurations and compares, so the doc cannot drift from the
// template. A table starts after a `<!-- cost-table: <id> -->` marker; its `Row` column holds a
// stable row id in backticks and its `Count` column a whole number (other cells, and rows whose id
// has no counter below, are prose for the reader and not checked).

/** The region the doc prices (and the only one where the service adds its Route 53 alarms). */
const REGION = 'us-east-1';
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const DOC = path.join(__dirname, '..', 'docs', 'COSTS.md');

type Resources = Record<string, { Type: string; Properties?: any }>;

/** The configurations the doc prices and this file synthesizes, by table id. */
const CONFIGURATIONS: Record<string, (stack: Stack) => Partial<MultiAzFailoverServiceProps>> = {
  a: () => ({}),
  b: () => ({ secondaryInstancesPerAz: 1 }),
  c: () => ({ secondaryMode: SecondaryMode.WARM_STANDBY }),
  d: (stack) => ({ vpc: importedVpc(stack, ZONES) }),
  e: () => ({ regionMode: RegionMode.WARM_STANDBY, secondaryMode: SecondaryMode.WARM_STANDBY }),
};

/** How each checked row is counted in a synthesized template. */
const COUNTERS: Record<string, (resources: Resources) => number> = {
  instances: (r) => sum(ofType(r, 'AWS::AutoScaling::AutoScalingGroup').map((asg) => Number(asg.MinSize))),
  'detailed-monitoring': (r) =>
    sum(
      ofType(r, 'AWS::AutoScaling::AutoScalingGroup')
        .filter((asg) => launchTemplateOf(r, asg).Monitoring?.Enabled === true)
        .map((asg) => Number(asg.MinSize)),
    ),
  'gp3-gib': (r) =>
    sum(
      ofType(r, 'AWS::AutoScaling::AutoScalingGroup').map(
        (asg) =>
          Number(asg.MinSize) *
          sum(
            (launchTemplateOf(r, asg).BlockDeviceMappings ?? [])
              .filter((m: any) => m.Ebs?.VolumeType === 'gp3')
              .map((m: any) => Number(m.Ebs.VolumeSize)),
          ),
      ),
    ),
  albs: (r) => albs(r).length,
  // An internet-facing ALB has one public IPv4 address in each of its subnets; a NAT gateway, its EIP.
  'public-ipv4': (r) =>
    sum(
      albs(r)
        .filter((lb) => lb.Scheme === 'internet-facing')
        .map((lb) => (lb.Subnets ?? lb.SubnetMappings).length),
    ) + ofType(r, 'AWS::EC2::EIP').length,
  'nat-gateways': (r) => ofType(r, 'AWS::EC2::NatGateway').length,
  'interface-endpoints': (r) => interfaceEndpoints(r).length,
  'interface-endpoint-azs': (r) => sum(interfaceEndpoints(r).map((e) => e.SubnetIds.length)),
  'gateway-endpoints': (r) => ofType(r, 'AWS::EC2::VPCEndpoint').filter((e) => e.VpcEndpointType === 'Gateway').length,
  'web-acls': (r) => ofType(r, 'AWS::WAFv2::WebACL').length,
  'waf-rules': (r) => sum(ofType(r, 'AWS::WAFv2::WebACL').map((acl) => acl.Rules.length)),
  'endpoint-health-checks': (r) => endpointHealthChecks(r).length,
  'health-check-features': (r) => sum(endpointHealthChecks(r).map(healthCheckFeatures)),
  'metric-health-checks': (r) => healthChecks(r).filter((c) => c.Type === 'CLOUDWATCH_METRIC').length,
  'calculated-health-checks': (r) => healthChecks(r).filter((c) => c.Type === 'CALCULATED').length,
  'standard-alarms': (r) => alarms(r).filter((a) => a.Metrics === undefined).length,
  'metric-math-alarms': (r) => alarms(r).filter((a) => a.Metrics !== undefined).length,
  // A metric-math alarm is billed per metric in it, not per expression.
  'metric-math-alarm-metrics': (r) =>
    sum(alarms(r).map((a) => (a.Metrics ?? []).filter((m: any) => m.MetricStat !== undefined).length)),
  'composite-alarms': (r) => ofType(r, 'AWS::CloudWatch::CompositeAlarm').length,
  // Contributor Insights rules (the tiers' log-shipping counts), billed per rule a month.
  'insight-rules': (r) => ofType(r, 'AWS::CloudWatch::InsightRule').length,
  // Each metric filter publishes one custom metric (no dimensions).
  'metric-filter-metrics': (r) => ofType(r, 'AWS::Logs::MetricFilter').length,
  dashboards: (r) => ofType(r, 'AWS::CloudWatch::Dashboard').length,
  'kms-keys': (r) => ofType(r, 'AWS::KMS::Key').length,
  'log-groups': (r) => ofType(r, 'AWS::Logs::LogGroup').length,
  'flow-logs': (r) => ofType(r, 'AWS::EC2::FlowLog').length,
  // DNS Firewall bills the domain names stored in its domain lists (docs/NETWORK.md, "DNS").
  // The scheduled image refresh: one schedule per refreshed zone (docs/RELEASING.md).
  'image-refresh-schedules': (r) => ofType(r, 'AWS::Scheduler::Schedule').length,
  'dns-firewall-domains': (r) =>
    sum(ofType(r, 'AWS::Route53Resolver::FirewallDomainList').map((list) => (list.Domains ?? []).length)),
};

/** The rows every checked table must have (the list): a missing one fails, not skips. */
const REQUIRED_ROWS = [
  'instances',
  'albs',
  'nat-gateways',
  'interface-endpoints',
  'endpoint-health-checks',
  'metric-health-checks',
  'calculated-health-checks',
  'standard-alarms',
  'metric-math-alarms',
  'composite-alarms',
  'kms-keys',
];

describe('docs/COSTS.md', () => {
  const tables = parseCostTables(fs.readFileSync(DOC, 'utf-8'));

  test('has a table for every configuration this file checks', () => {
    // THEN
    expect(Object.keys(CONFIGURATIONS).filter((id) => tables[id] === undefined)).toEqual([]);
  });

  test.each(Object.keys(CONFIGURATIONS))('configuration (%s): the counts are the template’s', (id) => {
    // GIVEN
    const table = tables[id] ?? {};

    // WHEN
    const resources = synthesize(CONFIGURATIONS[id]);

    // THEN
    expect(REQUIRED_ROWS.filter((row) => table[row] === undefined)).toEqual([]);
    const checked = Object.keys(table).filter((row) => COUNTERS[row] !== undefined);
    const template = Object.fromEntries(checked.map((row) => [row, COUNTERS[row](resources)]));
    // Received: the doc's counts; expected: the template's.
    expect(Object.fromEntries(checked.map((row) => [row, table[row]]))).toEqual(template);
  });

  // The arithmetic a reader relies on: each table's fixed charges are the sum of its priced rows,
  // and the summary at the top of the page repeats each table's total.
  test.each(Object.keys(CONFIGURATIONS))(
    'configuration (%s): the fixed charges are the sum of the rows, and the summary repeats them',
    (id) => {
      // GIVEN
      const doc = fs.readFileSync(DOC, 'utf-8');
      const { rows, total } = pricedRows(doc, id);

      // THEN
      expect(rows.length).toBeGreaterThan(5);
      expect(Math.round(sum(rows) * 100) / 100).toEqual(total);
      const summary = doc.split('\n').find((line) => line.startsWith(`| (${id}) `));
      if (id !== 'e') {
        expect(summary && dollars(summary.split('|')[2])).toEqual(total);
      }
    },
  );

  test('the parser reads a table whatever its column order, and keeps only whole-number counts', () => {
    // GIVEN
    const doc = [
      '<!-- cost-table: x -->',
      '| Item | Count | Row | A month |',
      '| --- | ---: | --- | --- |',
      '| Instances | 12 | `instances` | $364.44 |',
      '| Logs ingested | ~20 GB | `logs-ingested` | ≈ $10 |',
      '',
      '<!-- cost-table: y -->',
      '| Row | Count |',
      '| --- | --- |',
      '| `albs` | 2 |',
    ].join('\n');

    // THEN
    expect(parseCostTables(doc)).toEqual({ x: { instances: 12 }, y: { albs: 2 } });
  });
});

/** The default service in `REGION` over `ZONES`, with `props`: its template's resources. */
function synthesize(props: (stack: Stack) => Partial<MultiAzFailoverServiceProps>): Resources {
  const stack = new Stack(new App(), 'Costs', { env: { region: REGION } });
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
    hostedZoneId: 'Z0123456789EXAMPLEABC',
    zoneName: 'payments.example.com',
  });
  new MultiAzFailoverService(stack, 'Service', { hostedZone, availabilityZones: ZONES, ...props(stack) });
  return Template.fromStack(stack).toJSON().Resources;
}

/**
 * Every `<!-- cost-table: <id> -->` table of `doc`, by id: row id (the backticked text of the
 * `Row` cell) to count (the `Count` cell, when it is a whole number). Columns are found by their
 * header, so a table may add or reorder columns; a doc may add tables (a new configuration)
 * without changing this parser.
 */
function parseCostTables(doc: string): Record<string, Record<string, number>> {
  const tables: Record<string, Record<string, number>> = {};
  const lines = doc.split('\n');
  lines.forEach((line, index) => {
    const marker = /^<!--\s*cost-table:\s*([\w-]+)\s*-->\s*$/.exec(line.trim());
    if (!marker) {
      return;
    }
    const rows = [];
    for (let i = index + 1; i < lines.length && lines[i].trim().startsWith('|'); i++) {
      rows.push(
        lines[i]
          .trim()
          .replace(/^\||\|$/g, '')
          .split('|')
          .map((cell) => cell.trim()),
      );
    }
    const [header, , ...body] = rows;
    const rowColumn = header?.findIndex((cell) => /^row$/i.test(cell)) ?? -1;
    const countColumn = header?.findIndex((cell) => /^count$/i.test(cell)) ?? -1;
    if (rowColumn < 0 || countColumn < 0) {
      throw new Error(`the table after "${line.trim()}" needs a "Row" and a "Count" column, got: ${header}`);
    }
    const table: Record<string, number> = {};
    for (const cells of body) {
      const row = /^`([\w-]+)`$/.exec(cells[rowColumn] ?? '');
      const count = cells[countColumn] ?? '';
      if (row && /^\d+$/.test(count)) {
        table[row[1]] = Number(count);
      }
    }
    tables[marker[1]] = table;
  });
  return tables;
}

function ofType(resources: Resources, type: string): any[] {
  return Object.values(resources)
    .filter((r) => r.Type === type)
    .map((r) => r.Properties ?? {});
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function launchTemplateOf(resources: Resources, asg: any): any {
  const ref = asg.LaunchTemplate?.LaunchTemplateId?.Ref;
  return resources[ref]?.Properties?.LaunchTemplateData ?? {};
}

function albs(resources: Resources): any[] {
  return ofType(resources, 'AWS::ElasticLoadBalancingV2::LoadBalancer').filter(
    (lb) => (lb.Type ?? 'application') === 'application',
  );
}

function interfaceEndpoints(resources: Resources): any[] {
  return ofType(resources, 'AWS::EC2::VPCEndpoint').filter((e) => e.VpcEndpointType === 'Interface');
}

/** The CloudWatch alarms (not the composite ones). */
function alarms(resources: Resources): any[] {
  return ofType(resources, 'AWS::CloudWatch::Alarm');
}

function healthChecks(resources: Resources): any[] {
  return ofType(resources, 'AWS::Route53::HealthCheck').map((c) => c.HealthCheckConfig);
}

/** Health checks of an endpoint (HTTP, HTTPS, TCP, with or without string matching). */
function endpointHealthChecks(resources: Resources): any[] {
  return healthChecks(resources).filter((c) => /^(HTTP|HTTPS|TCP)/.test(c.Type));
}

/** Route 53's optional, separately billed features of an endpoint health check. */
function healthCheckFeatures(check: any): number {
  return [
    check.Type.startsWith('HTTPS'),
    check.Type.endsWith('_STR_MATCH'),
    Number(check.RequestInterval ?? 30) === 10,
    check.MeasureLatency === true,
  ].filter(Boolean).length;
}

/** `$1,234.56` in a cell as a number; undefined for a cell without a plain dollar amount. */
function dollars(cell: string): number | undefined {
  const match = /^\s*\*{0,2}\$([\d,]+\.\d{2})\*{0,2}\s*$/.exec(cell);
  return match ? Number(match[1].replace(/,/g, '')) : undefined;
}

/** The amounts in the last column of table `id` above its fixed-charges line, and that line's total. */
function pricedRows(doc: string, id: string): { rows: number[]; total: number | undefined } {
  const lines = doc.split('\n');
  const start = lines.indexOf(`<!-- cost-table: ${id} -->`);
  const rows: number[] = [];
  for (const line of lines.slice(start + 3)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').slice(1, -1);
    if (/\*\*Fixed charges/.test(line)) {
      return { rows, total: dollars(cells[cells.length - 1]) };
    }
    const amount = dollars(cells[cells.length - 1]);
    if (amount !== undefined) rows.push(amount);
  }
  return { rows, total: undefined };
}
