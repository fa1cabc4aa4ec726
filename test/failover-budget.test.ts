import { CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FailoverBudget, MultiAzFailoverService, MultiAzFailoverServiceProps } from '../src';
import { importedVpc, importedZone, newStack } from './util';

// The numbers these tests expect come from:
// - Route 53 Developer Guide, "How Amazon Route 53 determines whether a health check is healthy":
//   HTTP and HTTPS checks must connect within 4 s and receive the status code within 2 s after
//   connecting; with string matching the body must follow within the next 2 s.
//   https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
// - "Values that you specify when you create or update health checks": the request interval (10 or
//   30 s) and the failure threshold (consecutive checks that change the status).
//   https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html
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

/**
 * The endpoint health checks' interval and threshold, and the records' TTL, as synthesized (the
 * CloudWatch-metric and calculated checks have neither).
 */
function synthesized(template: Template) {
  const checks = Object.values(template.findResources('AWS::Route53::HealthCheck'))
    .map((r) => r.Properties.HealthCheckConfig)
    .filter((c) => ['HTTP', 'HTTPS', 'HTTP_STR_MATCH', 'HTTPS_STR_MATCH', 'TCP'].includes(c.Type))
    // the end-to-end check of the record name measures, it does not route
    .filter((c) => c.FullyQualifiedDomainName !== 'api.payments.example.com');
  const records = Object.values(template.findResources('AWS::Route53::RecordSet')).map((r) => r.Properties);
  return {
    requestIntervals: checks.map((c) => c.RequestInterval),
    failureThresholds: checks.map((c) => c.FailureThreshold),
    types: checks.map((c) => c.Type),
    ttls: records.map((r) => (r.AliasTarget ? 'alias' : Number(r.TTL))),
  };
}

describe('at the defaults', () => {
  let budget: FailoverBudget;
  let template: Template;
  beforeAll(() => {
    // GIVEN / WHEN
    const built = newService();
    budget = built.service.failoverBudget;
    template = built.template;
  });

  test('detection is 10 s × 3 failures + 6 s of HTTPS timeouts, DNS the 60 s alias TTL: 96 s', () => {
    // THEN
    expect(budget).toEqual({
      requestIntervalSeconds: 10,
      failureThreshold: 3,
      probeTimeoutSeconds: 6,
      detectionSeconds: 36,
      dnsSeconds: 60,
      worstCaseSeconds: 96,
    });
  });

  test('the numbers are those of the synthesized health checks and alias records', () => {
    // THEN
    expect(synthesized(template)).toEqual({
      requestIntervals: [10, 10],
      failureThresholds: [3, 3],
      types: ['HTTPS', 'HTTPS'],
      ttls: ['alias', 'alias'],
    });
  });
});

describe('the budget follows the configuration', () => {
  // [healthCheckFailureThreshold, failoverRecordTtl (s), detection, dns, worst case]
  test.each<[number | undefined, number | undefined, number, number, number]>([
    [undefined, undefined, 36, 60, 96],
    [1, undefined, 16, 60, 76],
    [2, undefined, 26, 60, 86],
    [10, undefined, 106, 60, 166],
    [3, 60, 36, 60, 96],
    [3, 10, 36, 10, 46],
    // the target: failover in about 36 s
    [2, 10, 26, 10, 36],
    [1, 0, 16, 0, 16],
  ])(
    'threshold %p and TTL %p s: detection %d s, DNS %d s, worst case %d s',
    (threshold, ttl, detection, dns, worst) => {
      // GIVEN / WHEN
      const { service, template } = newService(() => ({
        healthCheckFailureThreshold: threshold,
        failoverRecordTtl: ttl === undefined ? undefined : Duration.seconds(ttl),
      }));

      // THEN: the budget
      expect(service.failoverBudget).toEqual(
        expect.objectContaining({ detectionSeconds: detection, dnsSeconds: dns, worstCaseSeconds: worst }),
      );
      // and it is what the template says: interval × threshold + 6 s, and the records' TTL
      const { requestIntervals, failureThresholds, ttls } = synthesized(template);
      expect(detection).toBe(requestIntervals[0] * failureThresholds[0] + 6);
      expect(ttls).toEqual(ttl === undefined ? ['alias', 'alias'] : [ttl, ttl]);
    },
  );

  test('a search string adds the 2 s Route 53 allows for the body to the last probe', () => {
    // GIVEN / WHEN
    const { service, template } = newService(() => ({ healthCheckSearchString: '"status":"UP"' }));

    // THEN
    expect(synthesized(template).types).toEqual(['HTTPS_STR_MATCH', 'HTTPS_STR_MATCH']);
    expect(service.failoverBudget).toEqual(
      expect.objectContaining({ probeTimeoutSeconds: 8, detectionSeconds: 38, worstCaseSeconds: 98 }),
    );
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
});

describe('maxFailoverTime', () => {
  test.each<[string, ExtraProps]>([
    ['equal to the default budget', { maxFailoverTime: Duration.seconds(96) }],
    ['above the default budget', { maxFailoverTime: Duration.minutes(2) }],
    [
      'equal to the budget of threshold 2 and TTL 10 s',
      {
        maxFailoverTime: Duration.seconds(36),
        healthCheckFailureThreshold: 2,
        failoverRecordTtl: Duration.seconds(10),
      },
    ],
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
      'below the default budget',
      { maxFailoverTime: Duration.seconds(30) },
      '`maxFailoverTime` must be at least the failover budget of 96 seconds (detection 36 s: 10 s interval × 3 failures + 6 s timeouts; DNS 60 s: the fixed TTL of alias records to a load balancer): lower `healthCheckFailureThreshold` or set `failoverRecordTtl`, got: 30 seconds',
    ],
    [
      'below the budget of threshold 2 and TTL 10 s',
      {
        maxFailoverTime: Duration.seconds(35),
        healthCheckFailureThreshold: 2,
        failoverRecordTtl: Duration.seconds(10),
      },
      '`maxFailoverTime` must be at least the failover budget of 36 seconds (detection 26 s: 10 s interval × 2 failures + 6 s timeouts; DNS 10 s: `failoverRecordTtl`): lower `healthCheckFailureThreshold` or lower `failoverRecordTtl`, got: 35 seconds',
    ],
    [
      'below the budget of threshold 1 with alias records',
      { maxFailoverTime: Duration.seconds(40), healthCheckFailureThreshold: 1 },
      '`maxFailoverTime` must be at least the failover budget of 76 seconds (detection 16 s: 10 s interval × 1 failure + 6 s timeouts; DNS 60 s: the fixed TTL of alias records to a load balancer): set `failoverRecordTtl`, got: 40 seconds',
    ],
    [
      'below the shortest budget there is',
      { maxFailoverTime: Duration.seconds(15), healthCheckFailureThreshold: 1, failoverRecordTtl: Duration.seconds(0) },
      '`maxFailoverTime` must be at least the failover budget of 16 seconds (detection 16 s: 10 s interval × 1 failure + 6 s timeouts; DNS 0 s: `failoverRecordTtl`): raise `maxFailoverTime` (10 s is the shortest interval Route 53 offers), got: 15 seconds',
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
