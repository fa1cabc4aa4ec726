/**
 * The fault-scenario table of docs/FAILOVER.md: one `describe` per row, each test asserting the
 * resource or setting of a default `MultiAzFailoverService` that makes the row true. The doc cites
 * each test by its full name (`test/failover-scenarios.test.ts › <describe> › <test>`): rename a
 * test here and the doc must follow.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MultiAzFailoverService } from '../src';
import { importedZone, logicalIdOf, newStack } from './util';

let stack: Stack;
let service: MultiAzFailoverService;
let template: Template;
let resources: Record<string, any>;

beforeAll(() => {
  // GIVEN / WHEN: one default service, shared by the read-only assertions below
  stack = newStack();
  service = new MultiAzFailoverService(stack, 'PaymentApi', { hostedZone: importedZone(stack) });
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
});

/** The CloudFormation properties of a construct's resource. */
const propsOf = (construct: Parameters<typeof logicalIdOf>[0]) => resources[logicalIdOf(construct)].Properties;
const alarmTopicArn = () => stack.resolve(service.alarmTopic.topicArn);

describe('one instance lost', () => {
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
  // (a target leaves service after UnhealthyThresholdCount consecutive failed checks, one every
  // HealthCheckIntervalSeconds)
  test('the target group takes a target out after 3 failed checks 10 s apart', () => {
    // THEN
    for (const tier of [service.primary, service.secondary]) {
      expect(propsOf(tier.targetGroup)).toMatchObject({
        HealthCheckIntervalSeconds: 10,
        UnhealthyThresholdCount: 3,
        HealthyThresholdCount: 2,
        HealthCheckPath: '/health',
        Matcher: { HttpCode: '200' },
      });
    }
  });

  // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-health-checks.html (an
  // instance found unhealthy is replaced) and
  // https://docs.aws.amazon.com/autoscaling/ec2/userguide/health-check-grace-period.html
  test('every group replaces an instance that fails ELB health checks, after a 90 s grace period', () => {
    // THEN
    const groups = template.findResources('AWS::AutoScaling::AutoScalingGroup');
    expect(Object.keys(groups)).toHaveLength(6);
    for (const group of Object.values(groups)) {
      expect(group.Properties).toMatchObject({ HealthCheckType: 'ELB', HealthCheckGracePeriod: 300 });
    }
  });

  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
  // (HealthyHostCount per AvailabilityZone, LoadBalancer and TargetGroup)
  test("the zone's healthy-hosts alarm fires below the zone's size and reaches the alarm topic", () => {
    // THEN
    for (const fleet of service.primary.zonalFleets) {
      // An empty zone publishes no HealthyHostCount ("Reported if there are registered targets"):
      // FILL reads it as 0 and no data at all is breaching.
      const props = propsOf(fleet.healthyHostsAlarm);
      expect(props).toMatchObject({
        Threshold: 2,
        ComparisonOperator: 'LessThanThreshold',
        EvaluationPeriods: 3,
        TreatMissingData: 'breaching',
        AlarmActions: [alarmTopicArn()],
      });
      expect(props.Metrics[0].Expression).toBe('FILL(healthy, 0)');
      expect(props.Metrics[1].MetricStat).toMatchObject({
        Metric: {
          MetricName: 'HealthyHostCount',
          Dimensions: expect.arrayContaining([
            { Name: 'AvailabilityZone', Value: stack.resolve(fleet.availabilityZone) },
          ]),
        },
        Stat: 'Minimum',
        Period: 60,
      });
    }
  });
});

describe('one Availability Zone lost', () => {
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
  // (each load balancer node routes only to healthy targets)
  test('the primary stays primary: the two zones left hold at least the healthy-host floor', () => {
    // THEN: 3 zones × 2 instances; losing a zone leaves 4 hosts, and the floor is 3
    const { instanceCount, minHealthyHosts } = service.primary;
    const perZone = instanceCount / service.primary.zonalFleets.length;
    expect({ instanceCount, perZone, minHealthyHosts }).toEqual({ instanceCount: 6, perZone: 2, minHealthyHosts: 3 });
    expect(instanceCount - perZone).toBeGreaterThanOrEqual(minHealthyHosts);
    expect(propsOf(service.primary.healthAlarm)).toMatchObject({
      Threshold: 3,
      ComparisonOperator: 'LessThanThreshold',
    });
  });

  test("each zone's group has a fixed size, so the zones left keep their capacity", () => {
    // THEN
    for (const fleet of [...service.primary.zonalFleets, ...service.secondary.zonalFleets]) {
      expect(propsOf(fleet.autoScalingGroup)).toMatchObject({ MinSize: '2', MaxSize: '2', DesiredCapacity: '2' });
    }
  });

  test("the zone's impaired alarm fires on its healthy-hosts alarm", () => {
    // THEN
    for (const fleet of service.primary.zonalFleets) {
      const rule = JSON.stringify(propsOf(fleet.impairedAlarm).AlarmRule);
      expect(rule).toContain(logicalIdOf(fleet.healthyHostsAlarm));
      expect(propsOf(fleet.impairedAlarm).AlarmActions).toEqual([alarmTopicArn()]);
    }
  });
});

describe('one Availability Zone degraded but passing health checks', () => {
  test("the zone's impaired alarm also fires on its p99 latency and its 5xx outlier alarms", () => {
    // THEN
    for (const fleet of service.primary.zonalFleets) {
      const rule = JSON.stringify(propsOf(fleet.impairedAlarm).AlarmRule);
      expect(rule).toContain(logicalIdOf(fleet.latencyAlarm));
      expect(rule).toContain(logicalIdOf(fleet.outlierAlarm));
      expect(propsOf(fleet.latencyAlarm)).toMatchObject({ ExtendedStatistic: 'p99', EvaluationPeriods: 3, Period: 60 });
      expect(propsOf(fleet.outlierAlarm)).toMatchObject({ Threshold: 30, EvaluationPeriods: 1 });
    }
  });

  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/zonal-shift.html and
  // https://docs.aws.amazon.com/r53recovery/latest/dg/arc-zonal-shift.resource-types.app-load-balancers.html
  test('both load balancers accept a zonal shift', () => {
    // THEN
    for (const tier of [service.primary, service.secondary]) {
      expect(propsOf(tier.loadBalancer).LoadBalancerAttributes).toEqual(
        expect.arrayContaining([{ Key: 'zonal_shift.config.enabled', Value: 'true' }]),
      );
    }
  });

  // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-zonal-shift.html
  test('every group keeps its unhealthy instances while its zone is shifted away', () => {
    // THEN
    for (const group of Object.values(template.findResources('AWS::AutoScaling::AutoScalingGroup'))) {
      expect(group.Properties.AvailabilityZoneImpairmentPolicy).toEqual({
        ZonalShiftEnabled: true,
        ImpairedZoneHealthCheckBehavior: 'IgnoreUnhealthy',
      });
    }
  });

  test('no zonal autoshift by default: a person starts the shift', () => {
    // THEN
    template.resourceCountIs('AWS::ARCZonalShift::ZonalAutoshiftConfiguration', 0);
  });
});

describe('half of the primary tier unhealthy', () => {
  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-types.html (a health
  // check of a CloudWatch alarm) and
  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
  test('the health alarm fires when fewer than 3 of 6 targets are healthy for 2 minutes', () => {
    // THEN
    expect(propsOf(service.primary.healthAlarm)).toMatchObject({
      MetricName: 'HealthyHostCount',
      Statistic: 'Minimum',
      Period: 60,
      EvaluationPeriods: 2,
      Threshold: 3,
      ComparisonOperator: 'LessThanThreshold',
      AlarmActions: [alarmTopicArn()],
    });
  });

  test('exactly half healthy is not below the floor: the primary keeps the traffic', () => {
    // THEN: 3 healthy of 6 is not fewer than 3
    expect(service.primary.minHealthyHosts).toBe(service.primary.instanceCount / 2);
    expect(propsOf(service.primary.healthAlarm).ComparisonOperator).toBe('LessThanThreshold');
  });

  test("the primary record's calculated check needs the HTTPS check and the health alarm's check", () => {
    // THEN
    expect(propsOf(service.primary.capacityHealthCheck).HealthCheckConfig).toMatchObject({
      Type: 'CLOUDWATCH_METRIC',
      AlarmIdentifier: { Name: stack.resolve(service.primary.healthAlarm.alarmName), Region: 'eu-west-1' },
      InsufficientDataHealthStatus: 'LastKnownStatus',
    });
    expect(propsOf(service.primary.routingHealthCheck).HealthCheckConfig).toEqual(
      expect.objectContaining({
        Type: 'CALCULATED',
        HealthThreshold: 2,
        ChildHealthChecks: [
          stack.resolve(service.primary.healthCheck.healthCheckId),
          stack.resolve(service.primary.capacityHealthCheck.healthCheckId),
        ],
      }),
    );
    expect(propsOf(service.dns.primaryRecord)).toMatchObject({
      Failover: 'PRIMARY',
      HealthCheckId: stack.resolve(service.primary.routingHealthCheck.healthCheckId),
    });
  });
});

describe('primary tier returning 500', () => {
  // https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html (HTTPS: a
  // status code of 200 or greater and less than 400 is healthy)
  test("the primary's Route 53 check requests the health path over HTTPS every 10 s, 3 failures", () => {
    // THEN
    expect(propsOf(service.primary.healthCheck).HealthCheckConfig).toMatchObject({
      Type: 'HTTPS',
      ResourcePath: '/health',
      Port: 443,
      RequestInterval: 10,
      FailureThreshold: 3,
    });
  });

  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-alias-common.html
  // (Evaluate target health: an Application Load Balancer with a target group that contains only
  // unhealthy targets is unhealthy)
  test('both alias records evaluate the target health of their load balancer', () => {
    // THEN
    for (const record of [service.dns.primaryRecord, service.dns.secondaryRecord]) {
      expect(propsOf(record).AliasTarget).toMatchObject({ EvaluateTargetHealth: true });
    }
  });

  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
  // (10 s × 3 failed checks, the last one's 4 s + 2 s of timeouts); the DNS part is an assumed 60 s
  // of propagation and the alias records' 60 s TTL (docs/FAILOVER.md, "The failover budget")
  test("the failover budget's HTTPS path at the defaults: 36 s to detect, 120 s of DNS at worst", () => {
    // THEN
    expect(service.failoverBudget.httpsCheck).toMatchObject({
      worstCaseDetectionSeconds: 36,
      worstCaseDnsSeconds: 120,
      worstCaseSeconds: 156,
    });
  });

  test("the tier's target 5xx alarm reaches the alarm topic", () => {
    // THEN
    expect(propsOf(service.primary.alarms.target5xxAlarm)).toMatchObject({
      MetricName: 'HTTPCode_Target_5XX_Count',
      Threshold: 10,
      AlarmActions: [alarmTopicArn()],
    });
  });
});

describe('primary ALB unreachable', () => {
  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
  // (4 s to connect, 2 s to receive the status)
  test("the primary's Route 53 check calls the load balancer's own DNS name on 443 with SNI", () => {
    // THEN
    expect(propsOf(service.primary.healthCheck).HealthCheckConfig).toMatchObject({
      FullyQualifiedDomainName: stack.resolve(service.primary.loadBalancer.loadBalancerDnsName),
      Port: 443,
      EnableSNI: true,
    });
  });
});

describe('both tiers unhealthy', () => {
  // https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html (Failover:
  // when the secondary is unhealthy, Route 53 answers with the primary regardless of its health)
  // and https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
  test('both failover records carry a health check, so Route 53 then answers with the primary', () => {
    // THEN
    const records = Object.values(template.findResources('AWS::Route53::RecordSet'));
    expect(records.map((r) => [r.Properties.Failover, r.Properties.Name, r.Properties.Type])).toEqual([
      ['PRIMARY', 'api.payments.example.com.', 'A'],
      ['SECONDARY', 'api.payments.example.com.', 'A'],
    ]);
    for (const record of records) {
      expect(record.Properties.HealthCheckId).toBeDefined();
    }
  });

  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
  // (a target group with only unhealthy targets fails open)
  test('no target group overrides the fail-open of the load balancer', () => {
    // THEN
    for (const group of Object.values(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'))) {
      const keys = (group.Properties.TargetGroupAttributes ?? []).map((a: { Key: string }) => a.Key);
      expect(keys.filter((key: string) => key.startsWith('target_group_health.'))).toEqual([]);
    }
  });
});

describe('secondary unhealthy while the primary is healthy', () => {
  test("the secondary record carries the secondary's HTTPS check", () => {
    // THEN
    expect(service.secondary.routingHealthCheck).toBe(service.secondary.healthCheck);
    expect(propsOf(service.dns.secondaryRecord)).toMatchObject({
      Failover: 'SECONDARY',
      HealthCheckId: stack.resolve(service.secondary.healthCheck.healthCheckId),
    });
    template.resourcePropertiesCountIs(
      'AWS::Route53::HealthCheck',
      { HealthCheckConfig: Match.objectLike({ Type: 'CALCULATED' }) },
      1,
    );
  });

  test("the secondary's health and no-healthy-host alarms reach the alarm topic", () => {
    // THEN
    for (const alarm of [service.secondary.healthAlarm, service.secondary.alarms.noHealthyHostsAlarm]) {
      expect(propsOf(alarm).AlarmActions).toEqual([alarmTopicArn()]);
    }
  });
});

describe('time no configuration controls', () => {
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html#http-client-keep-alive-duration
  // and https://docs.aws.amazon.com/r53recovery/latest/dg/arc-zonal-shift.resource-types.app-load-balancers.html
  test('both load balancers keep one client connection for at most 300 s', () => {
    // THEN
    for (const tier of [service.primary, service.secondary]) {
      expect(propsOf(tier.loadBalancer).LoadBalancerAttributes).toEqual(
        expect.arrayContaining([{ Key: 'client_keep_alive.seconds', Value: '300' }]),
      );
    }
  });
});

describe('docs/FAILOVER.md', () => {
  test('cites every describe of this file, and only tests that exist', () => {
    // GIVEN: the doc's "Backed by" cells and this file's describe and test names
    const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'FAILOVER.md'), 'utf-8').replace(/\s+/g, ' ');
    const source = fs.readFileSync(__filename, 'utf-8');
    const tests = new Set([...source.matchAll(/test\((['"])(.*?)\1,/g)].map((m) => m[2]));
    const describes = [...source.matchAll(/describe\('(.*?)',/g)]
      .map((m) => m[1])
      .filter((d) => d !== 'docs/FAILOVER.md');

    // WHEN: each citation is split into its describe and its tests
    const cited = [...doc.matchAll(/`test\/failover-scenarios\.test\.ts` › (.*?) › (.*?)(?: \||\.\s*$|\. -|$)/gm)].map(
      (m) => ({
        describe: m[1],
        tests: m[2].split('; › ').map((t) => t.trim()),
      }),
    );

    // THEN
    expect(cited.map((c) => c.describe).sort()).toEqual([...describes].sort());
    for (const citation of cited) {
      for (const name of citation.tests) {
        expect(tests).toContain(name);
      }
    }
  });
});
