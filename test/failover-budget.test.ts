import { CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import {
  FailoverBudget,
  FailoverPath,
  FailoverPriority,
  MultiAzFailoverService,
  MultiAzFailoverServiceProps,
} from '../src';
import { computeFailoverBudget } from '../src/failover-budget';
import { codeBlocks, read } from './lib/markdown';
import { importedVpc, importedZone, newStack, newTier } from './util';

// The numbers these tests expect come from:
// - Route 53 Developer Guide, "How Amazon Route 53 determines whether a health check is healthy":
//   HTTP and HTTPS checks must connect within 4 s and receive the status code within 2 s after
//   connecting; with string matching the body must follow within the next 2 s.
//   https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
// - "Values that you specify when you create or update health checks": the request interval (10 or
//   30 s) and the failure threshold (consecutive checks that change the status); Route 53 does not
//   support "M out of N" alarms.
//   https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html
// - "Types of Amazon Route 53 health checks": a check of a CloudWatch alarm monitors the alarm's
//   data stream, "Route 53 doesn't wait for the CloudWatch alarm to go into the ALARM state".
//   https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-types.html
// - CloudWatch User Guide, "Evaluating an alarm": Period and Evaluation Periods; an alarm with a
//   period of one minute or longer is evaluated every minute.
//   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation
// - ELB, "Health checks for Application Load Balancer target groups": interval, timeout and
//   unhealthy threshold count.
//   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
// - "Choosing between alias and non-alias records" (an alias to an AWS resource takes its TTL, a
//   CNAME record has its own) and the Route 53 FAQ (alias records to ELB have a fixed 60 s TTL).
//   https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html
//   https://aws.amazon.com/route53/faqs/

type ExtraProps = Partial<MultiAzFailoverServiceProps>;

/** The service over the imported test VPC (fast: no VPC, endpoints or flow logs to build). */
function newService(props: (stack: Stack) => ExtraProps = () => ({}), stack: Stack = newStack()) {
  const service = new MultiAzFailoverService(stack, 'PaymentApi', {
    hostedZone: importedZone(stack),
    vpc: importedVpc(stack),
    availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    ...props(stack),
  });
  return { stack, service, template: Template.fromStack(stack) };
}

/** [best, worst] of a path: detection, DNS, total. */
function numbers(path: FailoverPath) {
  return {
    detection: [path.bestCaseDetectionSeconds, path.worstCaseDetectionSeconds],
    dns: [path.bestCaseDnsSeconds, path.worstCaseDnsSeconds],
    total: [path.bestCaseSeconds, path.worstCaseSeconds],
  };
}

/** The fast profile of docs/FAILOVER.md, "Shorter failover". */
const FAST: ExtraProps = { healthCheckFailureThreshold: 2, failoverRecordTtl: Duration.seconds(10) };

describe('at the defaults', () => {
  let budget: FailoverBudget;
  let template: Template;
  let stack: Stack;
  let service: MultiAzFailoverService;
  beforeAll(() => {
    // GIVEN / WHEN
    const built = newService();
    budget = built.service.failoverBudget;
    template = built.template;
    stack = built.stack;
    service = built.service;
  });

  test('the HTTPS path: 20 to 36 s to detect, 0 to 120 s of DNS (60 s assumed propagation + 60 s TTL)', () => {
    // THEN
    expect(numbers(budget.httpsCheck)).toEqual({ detection: [20, 36], dns: [0, 120], total: [20, 156] });
    expect(budget.httpsCheck.detectionSteps.map((s) => [s.name, s.bestCaseSeconds, s.worstCaseSeconds])).toEqual([
      ['Route 53 health checkers', 20, 36],
    ]);
    expect(budget.httpsCheck.dnsSteps.map((s) => [s.name, s.bestCaseSeconds, s.worstCaseSeconds])).toEqual([
      ['Route 53 propagation', 0, 60],
      ['Resolver cache', 0, 60],
    ]);
  });

  test('the capacity path: target health, 2 one-minute alarm periods and two assumed delays, then DNS', () => {
    // THEN
    expect(numbers(budget.capacityAlarm)).toEqual({ detection: [80, 275], dns: [0, 120], total: [80, 395] });
    expect(budget.capacityAlarm.detectionSteps.map((s) => [s.name, s.bestCaseSeconds, s.worstCaseSeconds])).toEqual([
      ['Target group health checks', 20, 35],
      ['Capacity alarm periods', 60, 120],
      ['CloudWatch publication', 0, 60],
      ['Route 53 reads the alarm data', 0, 60],
    ]);
  });

  test('the budget is the fastest best case and the slowest worst case over both paths', () => {
    // THEN
    expect([budget.bestCaseSeconds, budget.worstCaseSeconds, budget.recordTtlSeconds]).toEqual([20, 395, 60]);
  });

  test('the documented steps follow from the synthesized health checks, target group, alarm and records', () => {
    // THEN: Route 53 checks of the load balancers (the end-to-end check of the record name measures,
    // it does not route)
    const checks = Object.values(template.findResources('AWS::Route53::HealthCheck')).map(
      (r) => r.Properties.HealthCheckConfig,
    );
    const https = checks.filter((c) => c.Type === 'HTTPS' && c.FullyQualifiedDomainName !== 'api.payments.example.com');
    expect(https.map((c) => [c.RequestInterval, c.FailureThreshold])).toEqual([
      [10, 3],
      [10, 3],
    ]);
    // 10 s × 3 + 6 s (HTTPS: 4 s to connect, 2 s for the status)
    expect(budget.httpsCheck.detectionSteps[0].worstCaseSeconds).toBe(10 * 3 + 4 + 2);
    // the target group of each tier: 10 s × 3 + 5 s
    const groups = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup')).map(
      (r) => r.Properties,
    );
    expect(
      groups.map((g) => [g.HealthCheckIntervalSeconds, g.UnhealthyThresholdCount, g.HealthCheckTimeoutSeconds]),
    ).toEqual([
      [10, 3, 5],
      [10, 3, 5],
    ]);
    expect(budget.capacityAlarm.detectionSteps[0].worstCaseSeconds).toBe(10 * 3 + 5);
    // the alarm that the capacity check reads: 2 periods of 60 s, not "M out of N"
    const alarm = template.toJSON().Resources[stack.getLogicalId(service.primary.healthAlarm.node.defaultChild as any)];
    expect(alarm.Properties).toMatchObject({ Period: 60, EvaluationPeriods: 2 });
    expect(alarm.Properties.DatapointsToAlarm ?? 2).toBe(2);
    expect(budget.capacityAlarm.detectionSteps[1].worstCaseSeconds).toBe(2 * 60);
    // the records: alias records to the load balancers (their fixed 60 s TTL)
    const records = Object.values(template.findResources('AWS::Route53::RecordSet')).map((r) => r.Properties);
    expect(records.map((r) => r.AliasTarget !== undefined && r.TTL === undefined)).toEqual([true, true]);
  });

  test('the capacity path exists: the primary record’s CALCULATED check needs both children, one of them the health alarm’s', () => {
    // THEN
    const config = (c: route53.HealthCheck) =>
      template.toJSON().Resources[stack.getLogicalId(c.node.defaultChild as any)].Properties.HealthCheckConfig;
    expect(config(service.primary.routingHealthCheck)).toMatchObject({
      Type: 'CALCULATED',
      ChildHealthChecks: [
        stack.resolve(service.primary.healthCheck.healthCheckId),
        stack.resolve(service.primary.capacityHealthCheck.healthCheckId),
      ],
      HealthThreshold: 2,
    });
    expect(config(service.primary.capacityHealthCheck)).toMatchObject({
      Type: 'CLOUDWATCH_METRIC',
      AlarmIdentifier: { Name: stack.resolve(service.primary.healthAlarm.alarmName) },
    });
  });

  test('every delay AWS does not document is a named assumption, and every assumed step names one', () => {
    // THEN
    expect(budget.assumptions.map((a) => [a.name, a.seconds])).toEqual([
      ['CloudWatch publication delay', 60],
      ['Route 53 alarm-data evaluation interval', 60],
      ['Route 53 propagation to its name servers', 60],
    ]);
    const steps = [budget.httpsCheck, budget.capacityAlarm].flatMap((p) => [...p.detectionSteps, ...p.dnsSteps]);
    const named = budget.assumptions.map((a) => a.name);
    for (const step of steps.filter((s) => s.assumption !== undefined)) {
      expect(named).toContain(step.assumption);
      expect([step.bestCaseSeconds, step.worstCaseSeconds]).toEqual([
        0,
        budget.assumptions.find((a) => a.name === step.assumption)!.seconds,
      ]);
    }
    // and every step cites an AWS page
    expect(steps.filter((s) => !s.source.startsWith('https://docs.aws.amazon.com/'))).toEqual([]);
  });
});

describe('the fast profile (healthCheckFailureThreshold 2, failoverRecordTtl 10 s)', () => {
  test('the HTTPS path takes 10 to 96 s, the capacity path 80 to 345 s', () => {
    // GIVEN / WHEN
    const { service } = newService(() => FAST);

    // THEN
    expect(numbers(service.failoverBudget.httpsCheck)).toEqual({ detection: [10, 26], dns: [0, 70], total: [10, 96] });
    expect(numbers(service.failoverBudget.capacityAlarm)).toEqual({
      detection: [80, 275],
      dns: [0, 70],
      total: [80, 345],
    });
    expect([service.failoverBudget.bestCaseSeconds, service.failoverBudget.worstCaseSeconds]).toEqual([10, 345]);
  });
});

describe('the budget follows the configuration', () => {
  // [healthCheckFailureThreshold, failoverRecordTtl (s), HTTPS [best, worst], capacity worst, [best, worst]]
  test.each<[number | undefined, number | undefined, number[], number, number[]]>([
    [undefined, undefined, [20, 156], 395, [20, 395]],
    [1, undefined, [0, 136], 395, [0, 395]],
    [2, undefined, [10, 146], 395, [10, 395]],
    [10, undefined, [90, 226], 395, [80, 395]],
    [3, 60, [20, 156], 395, [20, 395]],
    [3, 10, [20, 106], 345, [20, 345]],
    [2, 10, [10, 96], 345, [10, 345]],
    [1, 0, [0, 76], 335, [0, 335]],
  ])(
    'threshold %p and TTL %p s: HTTPS path %p s, capacity path at worst %d s, budget %p s',
    (threshold, ttl, https, capacity, budget) => {
      // GIVEN / WHEN
      const { service } = newService(() => ({
        healthCheckFailureThreshold: threshold,
        failoverRecordTtl: ttl === undefined ? undefined : Duration.seconds(ttl),
      }));

      // THEN
      const b = service.failoverBudget;
      expect([b.httpsCheck.bestCaseSeconds, b.httpsCheck.worstCaseSeconds]).toEqual(https);
      expect(b.capacityAlarm.worstCaseSeconds).toBe(capacity);
      expect([b.bestCaseSeconds, b.worstCaseSeconds]).toEqual(budget);
      expect(b.recordTtlSeconds).toBe(ttl ?? 60);
    },
  );

  test('a search string adds the 2 s Route 53 allows for the body to the last probe', () => {
    // GIVEN / WHEN
    const { service } = newService(() => ({ healthCheckSearchString: '"status":"UP"' }));

    // THEN
    expect(numbers(service.failoverBudget.httpsCheck)).toEqual({
      detection: [20, 38],
      dns: [0, 120],
      total: [20, 158],
    });
  });

  test('a failure threshold that is a token cannot be budgeted, and says so', () => {
    // GIVEN
    const stack = newStack();
    const threshold = new CfnParameter(stack, 'Threshold', { type: 'Number' }).valueAsNumber;

    // WHEN / THEN
    expect(() => newService(() => ({ healthCheckFailureThreshold: threshold }), stack)).toThrow(
      'The failover budget needs `healthCheckFailureThreshold` to be a concrete value, not a token, got: a token',
    );
  });

  test('a tier whose record carries its HTTPS check alone has no capacity path, and says so', () => {
    // GIVEN: a secondary tier's routing check is its HTTPS check
    const { stack, tier } = newTier(() => ({ priority: FailoverPriority.SECONDARY }));
    const record = new route53.ARecord(stack, 'Record', {
      zone: importedZone(stack),
      target: route53.RecordTarget.fromIpAddresses('192.0.2.1'),
      ttl: Duration.seconds(60),
    });

    // WHEN / THEN
    expect(() => computeFailoverBudget(tier, [record])).toThrow(
      "The failover budget needs the primary's routing health check to be a CALCULATED check that is unhealthy when its HTTPS or its capacity check is, got: a HTTPS check with 0 children and health threshold undefined",
    );
  });
});

describe('maxFailoverTime', () => {
  test.each<[string, ExtraProps]>([
    ['equal to the default budget', { maxFailoverTime: Duration.seconds(395) }],
    ['above the default budget', { maxFailoverTime: Duration.minutes(7) }],
    ['equal to the budget of the fast profile', { ...FAST, maxFailoverTime: Duration.seconds(345) }],
  ])('%s synthesizes', (_name, props) => {
    // WHEN / THEN
    expect(() => newService(() => props)).not.toThrow();
  });

  test('a token is not checked', () => {
    // GIVEN
    const stack = newStack();
    const seconds = new CfnParameter(stack, 'MaxSeconds', { type: 'Number' }).valueAsNumber;

    // WHEN / THEN
    expect(() => newService(() => ({ maxFailoverTime: Duration.seconds(seconds) }), stack)).not.toThrow();
  });

  test.each<[string, ExtraProps, string]>([
    [
      // the old budget (the HTTPS path without assumptions) no longer passes
      'at the old default budget of 96 s',
      { maxFailoverTime: Duration.seconds(96) },
      '`maxFailoverTime` must be at least the worst case of the failover budget, 395 seconds (capacity alarm: Target group health checks 35 s + Capacity alarm periods 120 s + CloudWatch publication 60 s (assumed) + Route 53 reads the alarm data 60 s (assumed) + Route 53 propagation 60 s (assumed) + Resolver cache 60 s): raise `maxFailoverTime` to at least 335 seconds, which remain with `healthCheckFailureThreshold: 1` and `failoverRecordTtl` of 0 s, got: 96 seconds',
    ],
    [
      'below the default budget, within reach of a TTL',
      { maxFailoverTime: Duration.seconds(360) },
      '`maxFailoverTime` must be at least the worst case of the failover budget, 395 seconds (capacity alarm: Target group health checks 35 s + Capacity alarm periods 120 s + CloudWatch publication 60 s (assumed) + Route 53 reads the alarm data 60 s (assumed) + Route 53 propagation 60 s (assumed) + Resolver cache 60 s): set `failoverRecordTtl`, got: 360 seconds',
    ],
    [
      'below the budget of the fast profile',
      { ...FAST, maxFailoverTime: Duration.seconds(340) },
      '`maxFailoverTime` must be at least the worst case of the failover budget, 345 seconds (capacity alarm: Target group health checks 35 s + Capacity alarm periods 120 s + CloudWatch publication 60 s (assumed) + Route 53 reads the alarm data 60 s (assumed) + Route 53 propagation 60 s (assumed) + Resolver cache 10 s): lower `failoverRecordTtl`, got: 340 seconds',
    ],
    [
      'not whole seconds',
      { maxFailoverTime: Duration.millis(1500) },
      '`maxFailoverTime` must be a whole number of seconds from 1 to 3600 seconds, got: 1 second 500 millis',
    ],
    [
      'zero',
      { maxFailoverTime: Duration.seconds(0) },
      '`maxFailoverTime` must be a whole number of seconds from 1 to 3600 seconds, got: 0 seconds',
    ],
  ])('%s fails synth with a message naming what to change', (_name, props, message) => {
    // WHEN / THEN
    expect(() => newService(() => props)).toThrow(message);
  });
});

describe('docs/FAILOVER.md', () => {
  let budget: FailoverBudget;
  beforeAll(() => {
    budget = newService().service.failoverBudget;
  });

  /** The sections and tasks of the first mermaid gantt chart: [section, [task, tag, start, end][]]. */
  function gantt(): [string, [string, string, number, number][]][] {
    const block = codeBlocks('docs/FAILOVER.md').find((b) => b.info === 'mermaid' && b.code.trim().startsWith('gantt'));
    if (block === undefined) {
      throw new Error('docs/FAILOVER.md has no mermaid gantt chart');
    }
    const sections: [string, [string, string, number, number][]][] = [];
    for (const line of block.code.split('\n').map((l) => l.trim())) {
      if (line.startsWith('section ')) {
        sections.push([line.slice('section '.length), []]);
      } else if (line.includes(':') && sections.length > 0) {
        const [name, spec] = line.split(':');
        const parts = spec.split(',').map((p) => p.trim());
        const tag = parts.length === 3 ? parts[0] : '';
        sections[sections.length - 1][1].push([
          name.trim(),
          tag,
          Number(parts[parts.length - 2]),
          Number(parts[parts.length - 1]),
        ]);
      }
    }
    return sections;
  }

  test('the gantt chart draws each path’s worst case, step by step, as the budget computes it at the defaults', () => {
    // GIVEN: each step starts where the previous ends; assumed steps are tagged `active`
    const expected = [budget.httpsCheck, budget.capacityAlarm].map((p) => {
      let at = 0;
      return [
        p.name,
        [...p.detectionSteps, ...p.dnsSteps].map((s) => {
          const task = [
            s.assumption === undefined ? s.name : `${s.name} (assumed)`,
            s.assumption === undefined ? '' : 'active',
            at,
            at + s.worstCaseSeconds,
          ];
          at += s.worstCaseSeconds;
          return task;
        }),
      ];
    });

    // THEN
    expect(gantt()).toEqual(expected);
  });

  test('the assumptions table lists every assumption with its value', () => {
    // GIVEN: the rows after `<!-- assumptions-table -->`: | name | seconds | ...
    const doc = read('docs/FAILOVER.md');
    const table = doc.slice(doc.indexOf('<!-- assumptions-table -->')).split('\n').slice(1);
    const rows = table
      .slice(
        0,
        table.findIndex((l) => !l.startsWith('|')),
      )
      .slice(2);

    // THEN
    expect(doc).toContain('<!-- assumptions-table -->');
    expect(
      rows.map((r) => r.split('|').map((c) => c.trim())).map((c) => [c[1], Number(c[2].replace(/ s$/, ''))]),
    ).toEqual(budget.assumptions.map((a) => [a.name, a.seconds]));
  });
});
