import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';

/**
 * One step of a failover path: how long it takes at best and at worst, by which rule, and from
 * which AWS page; or, where AWS documents no number, which assumption of
 * `FailoverBudget.assumptions` stands in for it.
 */
export interface FailoverStep {
  /** What happens in this step, for example `Route 53 health checkers`. */
  readonly name: string;

  /** The shortest this step can take, in whole seconds (an assumed step: 0). */
  readonly bestCaseSeconds: number;

  /** The longest this step can take, in whole seconds (an assumed step: the assumption's value). */
  readonly worstCaseSeconds: number;

  /** How the numbers follow from the configuration, for example `10 s × 3 failures + 6 s probe timeouts`. */
  readonly rule: string;

  /** The AWS page that documents the rule, or the page closest to an assumption. */
  readonly source: string;

  /**
   * The `name` of the assumption in `FailoverBudget.assumptions` that this step's worst case is,
   * when AWS documents no number for it.
   *
   * @default - none: the step follows from documented rules
   */
  readonly assumption?: string;
}

/**
 * A way that traffic moves from the primary to the secondary tier, from the fault it sees to a
 * resolver answering with the secondary: its detection part (until Route 53 counts the primary's
 * failover record unhealthy) and its DNS part (until resolvers answer with the secondary).
 */
export interface FailoverPath {
  /** The path's name, for example `HTTPS health check`. */
  readonly name: string;

  /** The steps until Route 53 counts the primary's failover record unhealthy, in order. */
  readonly detectionSteps: FailoverStep[];

  /** The steps from then until a resolver answers with the secondary, in order. */
  readonly dnsSteps: FailoverStep[];

  /** The sum of the detection steps' best cases. */
  readonly bestCaseDetectionSeconds: number;

  /** The sum of the detection steps' worst cases. */
  readonly worstCaseDetectionSeconds: number;

  /** The sum of the DNS steps' best cases. */
  readonly bestCaseDnsSeconds: number;

  /** The sum of the DNS steps' worst cases. */
  readonly worstCaseDnsSeconds: number;

  /** `bestCaseDetectionSeconds + bestCaseDnsSeconds`. */
  readonly bestCaseSeconds: number;

  /** `worstCaseDetectionSeconds + worstCaseDnsSeconds`. */
  readonly worstCaseSeconds: number;
}

/**
 * A delay that a failover path goes through but that AWS documents no number for, with the value
 * the budget assumes. None of them is verified; docs/FAILOVER.md lists them.
 */
export interface FailoverAssumption {
  /** The assumption's name, as the steps' `assumption` refers to it. */
  readonly name: string;

  /** The value the budget assumes, in whole seconds (its worst case; its best case is 0). */
  readonly seconds: number;

  /** What the delay is, and why this value. */
  readonly description: string;

  /** The AWS page closest to it (which gives no number for it). */
  readonly source: string;
}

/**
 * How long a failover from the primary to the secondary tier takes, in whole seconds, over every
 * path that can move traffic, as the synthesized configuration allows. Read it from
 * `MultiAzFailoverService.failoverBudget`.
 *
 * The primary's failover record carries a `CALCULATED` health check that turns unhealthy when
 * either of its children does, so two paths move traffic:
 *
 * - `httpsCheck`: the Route 53 HTTPS health check of the primary's load balancer fails;
 * - `capacityAlarm`: the primary's healthy hosts fall below `minHealthyHosts`, which Route 53 reads
 *   through the `CLOUDWATCH_METRIC` check of the tier's `healthAlarm`.
 *
 * Documented rules (request interval, failure threshold, probe timeouts, the target group's health
 * check, the alarm's period and evaluation periods, the records' TTL) are computed from the
 * synthesized resources; what AWS documents no number for is a named assumption
 * (`assumptions`). Not included, because nothing bounds them: resolvers and clients that keep an
 * answer longer than its TTL, and connections that clients keep alive to the primary's load
 * balancer.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
 */
export interface FailoverBudget {
  /** The path through the Route 53 HTTPS health check of the primary's load balancer. */
  readonly httpsCheck: FailoverPath;

  /**
   * The path through the primary's `healthAlarm` (healthy hosts below `minHealthyHosts`), which
   * Route 53 reads through the capacity health check.
   */
  readonly capacityAlarm: FailoverPath;

  /**
   * The TTL with which resolvers may cache the failover records' answer: 60 s for alias records to
   * a load balancer (fixed by Elastic Load Balancing), `failoverRecordTtl` for CNAME records.
   */
  readonly recordTtlSeconds: number;

  /** The delays AWS documents no number for, with the values the worst cases assume. */
  readonly assumptions: FailoverAssumption[];

  /** The fastest failover over every path: the smallest `bestCaseSeconds` of the paths. */
  readonly bestCaseSeconds: number;

  /**
   * The slowest failover over every path: the largest `worstCaseSeconds` of the paths, assumptions
   * included. `maxFailoverTime` is checked against it.
   */
  readonly worstCaseSeconds: number;
}

/** What the budget reads from the primary tier (a `FailoverTier` has every member). */
export interface FailoverBudgetSources {
  /** The Route 53 HTTPS (or HTTPS_STR_MATCH) health check of the primary's load balancer. */
  readonly healthCheck: route53.HealthCheck;
  /** The `CLOUDWATCH_METRIC` health check of `healthAlarm`. */
  readonly capacityHealthCheck: route53.HealthCheck;
  /** The health check of the primary's failover record (`CALCULATED` over the two above). */
  readonly routingHealthCheck: route53.HealthCheck;
  /** The alarm on the healthy hosts that `capacityHealthCheck` reads. */
  readonly healthAlarm: cloudwatch.Alarm;
  /** The target group whose health checks decide which hosts count as healthy. */
  readonly targetGroup: elbv2.ApplicationTargetGroup;
}

const HEALTH_CHECK_PAGE =
  'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html';
const HEALTH_CHECK_TYPES_PAGE = 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-types.html';
const TARGET_GROUP_HEALTH_PAGE =
  'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html';
const ALARM_EVALUATION_PAGE =
  'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation';
const ELB_METRICS_PAGE =
  'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html';
const RECORD_CHANGES_PAGE =
  'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-editing.html';
const ALIAS_TTL_PAGE =
  'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html';

/**
 * The delays that AWS documents no number for. Each is a worst case the budget assumes; each is
 * unverified (docs/FAILOVER.md, "Assumptions").
 */
const CLOUDWATCH_PUBLICATION: FailoverAssumption = {
  name: 'CloudWatch publication delay',
  seconds: 60,
  description:
    'From the end of a one-minute period until its HealthyHostCount datapoint is in CloudWatch. Elastic Load ' +
    'Balancing "measures and sends its metrics in 60-second intervals"; how long a datapoint then takes to ' +
    'reach CloudWatch is not documented. Assumed: one sending interval.',
  source: ELB_METRICS_PAGE,
};
const ROUTE53_ALARM_EVALUATION: FailoverAssumption = {
  name: 'Route 53 alarm-data evaluation interval',
  seconds: 60,
  description:
    'How often Route 53 evaluates the data stream of the alarm behind a CLOUDWATCH_METRIC health check (it reads ' +
    "the data with the alarm's criteria, not the alarm's state). Not documented. Assumed: as often as CloudWatch " +
    'evaluates an alarm with a period of one minute or more, every minute.',
  source: HEALTH_CHECK_TYPES_PAGE,
};
const ROUTE53_PROPAGATION: FailoverAssumption = {
  name: 'Route 53 propagation to its name servers',
  seconds: 60,
  description:
    'From a child health check turning unhealthy until every Route 53 name server answers with the secondary ' +
    'record, through the CALCULATED check. Not documented for health-check status; Route 53 says that record ' +
    'changes "generally propagate to all Route 53 name servers within 60 seconds". Assumed: the same 60 s.',
  source: RECORD_CHANGES_PAGE,
};

/**
 * The TTL with which Route 53 serves an alias record to an Elastic Load Balancing load balancer:
 * the load balancer's own DNS TTL, which cannot be changed.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html
 * (an alias to an AWS resource takes that resource's TTL, which you cannot set) and
 * https://aws.amazon.com/route53/faqs/ (DNS failover for ELB endpoints uses alias records, "which
 * have a fixed TTL of 60 seconds").
 */
const LOAD_BALANCER_ALIAS_TTL_SECONDS = 60;

/**
 * The health-check timeouts of the Route 53 Developer Guide, "How Route 53 determines the status
 * of health checks that monitor an endpoint": HTTP(S) checks connect within 4 s and receive the
 * status code within 2 s after connecting; with string matching the body must follow within the
 * next 2 s; TCP checks connect within 10 s.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
 */
const PROBE_TIMEOUT_SECONDS: Record<string, number> = {
  HTTP: 4 + 2,
  HTTPS: 4 + 2,
  HTTP_STR_MATCH: 4 + 2 + 2,
  HTTPS_STR_MATCH: 4 + 2 + 2,
  TCP: 10,
};

/**
 * Route 53's defaults when a health check leaves them out (CloudFormation
 * `AWS::Route53::HealthCheck` `HealthCheckConfig`: `RequestInterval` 30, `FailureThreshold` 3).
 */
const DEFAULT_REQUEST_INTERVAL_SECONDS = 30;

/** The name of the target group's step, which the accelerator front's budget reuses. */
const TARGET_GROUP_STEP = 'Target group health checks';
const DEFAULT_FAILURE_THRESHOLD = 3;

/**
 * The failover budget of the primary tier and the failover records, read from their
 * CloudFormation resources (so from exactly what is synthesized). Not part of the public API
 * (`src/index.ts` exports only the structs): `MultiAzFailoverService` computes it once.
 *
 * @param primary the primary tier's health checks, health alarm and target group
 * @param records the failover records; the budget takes the longest TTL among them
 */
export function computeFailoverBudget(primary: FailoverBudgetSources, records: route53.RecordSet[]): FailoverBudget {
  checkRouting(primary);
  const ttlSeconds = Math.max(...records.map(recordTtlSeconds));
  const dnsSteps = dnsStepsOf(ttlSeconds, records);
  const httpsCheck = path('HTTPS health check', [routeFiftyThreeChecks(primary.healthCheck)], dnsSteps);
  const capacityAlarm = path(
    'Capacity alarm',
    [
      targetGroupChecks(primary.targetGroup),
      alarmPeriods(primary.healthAlarm),
      assumed('CloudWatch publication', CLOUDWATCH_PUBLICATION),
      assumed('Route 53 reads the alarm data', ROUTE53_ALARM_EVALUATION),
    ],
    dnsSteps,
  );
  const paths = [httpsCheck, capacityAlarm];
  return {
    httpsCheck,
    capacityAlarm,
    recordTtlSeconds: ttlSeconds,
    assumptions: [CLOUDWATCH_PUBLICATION, ROUTE53_ALARM_EVALUATION, ROUTE53_PROPAGATION],
    bestCaseSeconds: Math.min(...paths.map((p) => p.bestCaseSeconds)),
    worstCaseSeconds: Math.max(...paths.map((p) => p.worstCaseSeconds)),
  };
}

function path(name: string, detectionSteps: FailoverStep[], dnsSteps: FailoverStep[]): FailoverPath {
  const sum = (steps: FailoverStep[], key: 'bestCaseSeconds' | 'worstCaseSeconds') =>
    steps.reduce((total, step) => total + step[key], 0);
  const bestCaseDetectionSeconds = sum(detectionSteps, 'bestCaseSeconds');
  const worstCaseDetectionSeconds = sum(detectionSteps, 'worstCaseSeconds');
  const bestCaseDnsSeconds = sum(dnsSteps, 'bestCaseSeconds');
  const worstCaseDnsSeconds = sum(dnsSteps, 'worstCaseSeconds');
  return {
    name,
    detectionSteps,
    dnsSteps,
    bestCaseDetectionSeconds,
    worstCaseDetectionSeconds,
    bestCaseDnsSeconds,
    worstCaseDnsSeconds,
    bestCaseSeconds: bestCaseDetectionSeconds + bestCaseDnsSeconds,
    worstCaseSeconds: worstCaseDetectionSeconds + worstCaseDnsSeconds,
  };
}

function assumed(name: string, assumption: FailoverAssumption): FailoverStep {
  return {
    name,
    bestCaseSeconds: 0,
    worstCaseSeconds: assumption.seconds,
    rule: `assumed: ${assumption.name}, 0 to ${assumption.seconds} s`,
    source: assumption.source,
    assumption: assumption.name,
  };
}

/**
 * Route 53's endpoint check: each checker counts the endpoint unhealthy after `failureThreshold`
 * consecutive failed checks `requestInterval` apart. At worst the primary fails just after a
 * passing check, so `failureThreshold` more checks follow, the last failing only when its timeouts
 * run out; at best a check starts as the primary fails and each fails at once.
 */
function routeFiftyThreeChecks(healthCheck: route53.HealthCheck): FailoverStep {
  const config = healthCheckConfig(healthCheck);
  const type = concrete(config.type, 'the health check type');
  const probeTimeoutSeconds = PROBE_TIMEOUT_SECONDS[type];
  if (probeTimeoutSeconds === undefined) {
    throw new Error(
      `The failover budget needs an endpoint health check (HTTP, HTTPS or TCP) on the primary tier, got: a ${type} health check`,
    );
  }
  const interval = concrete(
    config.requestInterval ?? DEFAULT_REQUEST_INTERVAL_SECONDS,
    'the health check request interval',
  );
  const threshold = concrete(config.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD, '`healthCheckFailureThreshold`');
  return {
    name: 'Route 53 health checkers',
    bestCaseSeconds: (threshold - 1) * interval,
    worstCaseSeconds: threshold * interval + probeTimeoutSeconds,
    rule: `${interval} s × ${threshold} failure${threshold === 1 ? '' : 's'} + ${probeTimeoutSeconds} s probe timeouts (best: ${threshold - 1} × ${interval} s)`,
    source: HEALTH_CHECK_PAGE,
  };
}

/**
 * The target group's checks of each instance: a target turns unhealthy after
 * `UnhealthyThresholdCount` consecutive failed checks `HealthCheckIntervalSeconds` apart, a check
 * failing when no response arrives within `HealthCheckTimeoutSeconds`. Only then does
 * `HealthyHostCount` drop.
 */
function targetGroupChecks(targetGroup: elbv2.ApplicationTargetGroup): FailoverStep {
  const cfn = targetGroup.node.defaultChild as elbv2.CfnTargetGroup;
  // The L2 writes the health check lazily: resolve it as synthesis would.
  const resolve = (value: number | undefined): number | undefined => Stack.of(targetGroup).resolve(value);
  const interval = concrete(resolve(cfn.healthCheckIntervalSeconds), "the target group's health check interval");
  const threshold = concrete(resolve(cfn.unhealthyThresholdCount), "the target group's unhealthy threshold count");
  const timeout = concrete(resolve(cfn.healthCheckTimeoutSeconds), "the target group's health check timeout");
  return {
    name: TARGET_GROUP_STEP,
    bestCaseSeconds: (threshold - 1) * interval,
    worstCaseSeconds: threshold * interval + timeout,
    rule: `${interval} s × ${threshold} failures + ${timeout} s timeout (best: ${threshold - 1} × ${interval} s)`,
    source: TARGET_GROUP_HEALTH_PAGE,
  };
}

/**
 * The alarm's criteria, which Route 53 applies to the alarm's data stream ("Route 53 doesn't wait
 * for the CloudWatch alarm to go into the ALARM state"): `EvaluationPeriods` consecutive breaching
 * datapoints of `Period` seconds each. A period counts from the one in which the hosts turned
 * unhealthy (the alarm takes the period's Minimum), and a period's datapoint exists only once the
 * period ends, so the last breaching period ends between (N − 1) × period and N × period later.
 */
function alarmPeriods(alarm: cloudwatch.Alarm): FailoverStep {
  const cfn = alarm.node.defaultChild as cloudwatch.CfnAlarm;
  const period = concrete(cfn.period, "the health alarm's period");
  const periods = concrete(cfn.evaluationPeriods, "the health alarm's evaluation periods");
  if (cfn.datapointsToAlarm !== undefined && cfn.datapointsToAlarm !== periods) {
    // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html
    throw new Error(
      `The failover budget needs a health alarm that Route 53 can read, which excludes "M out of N" alarms, got: ${cfn.datapointsToAlarm} out of ${periods}`,
    );
  }
  return {
    name: 'Capacity alarm periods',
    bestCaseSeconds: (periods - 1) * period,
    worstCaseSeconds: periods * period,
    rule: `${periods} × ${period} s periods breaching (best: ${periods - 1} × ${period} s)`,
    source: ALARM_EVALUATION_PAGE,
  };
}

function dnsStepsOf(ttlSeconds: number, records: route53.RecordSet[]): FailoverStep[] {
  const alias = records.some((r) => (r.node.defaultChild as route53.CfnRecordSet).aliasTarget !== undefined);
  return [
    assumed('Route 53 propagation', ROUTE53_PROPAGATION),
    {
      name: 'Resolver cache',
      bestCaseSeconds: 0,
      worstCaseSeconds: ttlSeconds,
      rule: alias
        ? `${ttlSeconds} s: the fixed TTL of alias records to a load balancer`
        : `${ttlSeconds} s: \`failoverRecordTtl\``,
      source: ALIAS_TTL_PAGE,
    },
  ];
}

/**
 * The capacity path moves traffic only if the primary's record carries a CALCULATED check that is
 * unhealthy as soon as either child is: both children, and a health threshold of all of them.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
 */
function checkRouting(primary: FailoverBudgetSources): void {
  const config = healthCheckConfig(primary.routingHealthCheck);
  const stack = Stack.of(primary.routingHealthCheck);
  const id = (check: route53.HealthCheck) => JSON.stringify(stack.resolve(check.healthCheckId));
  const children = (config.childHealthChecks ?? []).map((c) => JSON.stringify(stack.resolve(c)));
  const wired =
    config.type === 'CALCULATED' &&
    children.includes(id(primary.healthCheck)) &&
    children.includes(id(primary.capacityHealthCheck)) &&
    config.healthThreshold === children.length;
  if (!wired) {
    throw new Error(
      `The failover budget needs the primary's routing health check to be a CALCULATED check that is unhealthy when its HTTPS or its capacity check is, got: a ${config.type} check with ${children.length} children and health threshold ${config.healthThreshold}`,
    );
  }
}

function healthCheckConfig(healthCheck: route53.HealthCheck): route53.CfnHealthCheck.HealthCheckConfigProperty {
  return (healthCheck.node.defaultChild as route53.CfnHealthCheck)
    .healthCheckConfig as route53.CfnHealthCheck.HealthCheckConfigProperty;
}

/** The TTL a resolver may cache the record's answer for: its own, or its load balancer's for an alias. */
function recordTtlSeconds(record: route53.RecordSet): number {
  const cfn = record.node.defaultChild as route53.CfnRecordSet;
  if (cfn.aliasTarget !== undefined) {
    return LOAD_BALANCER_ALIAS_TTL_SECONDS;
  }
  return Number(concrete(cfn.ttl, '`failoverRecordTtl`'));
}

function concrete<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new Error(`The failover budget needs ${what} to be set, got: none`);
  }
  if (Token.isUnresolved(value) || typeof value === 'object') {
    throw new Error(`The failover budget needs ${what} to be a concrete value, not a token, got: a token`);
  }
  return value;
}

/**
 * Throws when `maxFailoverTime` is shorter than the budget's worst case, naming the slowest path,
 * its steps and what to change. Tokens and `undefined` pass.
 *
 * @param maxFailoverTime the longest failover the user accepts
 * @param budget the computed budget
 * @param cnameRecords whether the failover records are CNAME records (`failoverRecordTtl` set)
 */
export function validateMaxFailoverTime(
  maxFailoverTime: Duration | undefined,
  budget: FailoverBudget,
  cnameRecords: boolean,
): void {
  const limit = limitBelow(maxFailoverTime, budget.worstCaseSeconds);
  if (limit === undefined) {
    return;
  }
  const slowest = [budget.httpsCheck, budget.capacityAlarm].reduce((a, b) =>
    b.worstCaseSeconds > a.worstCaseSeconds ? b : a,
  );
  const steps = [...slowest.detectionSteps, ...slowest.dnsSteps]
    .map((s) => `${s.name} ${s.worstCaseSeconds} s${s.assumption === undefined ? '' : ' (assumed)'}`)
    .join(' + ');
  // What no prop of the construct shortens: every path's worst case at a failure threshold of 1
  // and a TTL of 0.
  const floor = Math.max(
    budget.httpsCheck.worstCaseSeconds - budget.recordTtlSeconds - httpsThresholdSlack(budget),
    budget.capacityAlarm.worstCaseSeconds - budget.recordTtlSeconds,
  );
  let fix: string;
  if (limit < floor) {
    fix = `raise \`maxFailoverTime\` to at least ${floor} seconds, which remain with \`healthCheckFailureThreshold: 1\` and \`failoverRecordTtl\` of 0 s`;
  } else {
    const fixes: string[] = [];
    if (budget.httpsCheck.worstCaseSeconds > limit && httpsThresholdSlack(budget) > 0) {
      fixes.push('lower `healthCheckFailureThreshold`');
    }
    fixes.push(cnameRecords ? 'lower `failoverRecordTtl`' : 'set `failoverRecordTtl`');
    fix = fixes.join(' or ');
  }
  throw new Error(
    `\`maxFailoverTime\` must be at least the worst case of the failover budget, ${budget.worstCaseSeconds} seconds ` +
      `(${slowest.name.toLowerCase()}: ${steps}): ${fix}, got: ${limit} seconds`,
  );
}

/** The seconds a failure threshold of 1 would take off the HTTPS path: (threshold − 1) × interval. */
function httpsThresholdSlack(budget: FailoverBudget): number {
  return budget.httpsCheck.detectionSteps[0].bestCaseSeconds;
}

/**
 * How long a failover from the primary to the secondary Region takes behind a `GlobalFailover`,
 * in whole seconds, over every path that moves traffic, built from the primary Region's own
 * {@link FailoverBudget} (the same steps, rules and assumptions). Read it from
 * `GlobalFailover.failoverBudget`.
 */
export interface GlobalFailoverBudget {
  /** The paths that move traffic to the secondary Region, each with its steps. */
  readonly paths: FailoverPath[];

  /**
   * The TTL with which resolvers may cache the global name's answer: the primary Region's record
   * TTL with `GlobalFront.dns()` (an alias to a record in the zone answers as that record), 0 with
   * `GlobalFront.accelerator()` (the static IPs do not change).
   */
  readonly recordTtlSeconds: number;

  /** The delays AWS documents no number for, with the values the worst cases assume. */
  readonly assumptions: FailoverAssumption[];

  /** The fastest failover over every path: the smallest `bestCaseSeconds` of the paths. */
  readonly bestCaseSeconds: number;

  /** The slowest failover over every path: the largest `worstCaseSeconds` of the paths. */
  readonly worstCaseSeconds: number;
}

const GLOBAL_ACCELERATOR_FAILOVER_PAGE =
  'https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoints-endpoint-weights.unhealthy-endpoints.html';
const GLOBAL_ACCELERATOR_REACTION: FailoverAssumption = {
  name: 'Global Accelerator reaction to load balancer health',
  seconds: 30,
  description:
    "From the last target of a Region's load balancers turning unhealthy until Global Accelerator sends new " +
    'connections to the other endpoint group. Not documented; Global Accelerator says traffic returns to a ' +
    'recovered Region "in about 30 seconds or so". Assumed: the same 30 s.',
  source: GLOBAL_ACCELERATOR_FAILOVER_PAGE,
};

function globalBudget(paths: FailoverPath[], ttlSeconds: number, assumptions: FailoverAssumption[]) {
  return {
    paths,
    recordTtlSeconds: ttlSeconds,
    assumptions,
    bestCaseSeconds: Math.min(...paths.map((p) => p.bestCaseSeconds)),
    worstCaseSeconds: Math.max(...paths.map((p) => p.worstCaseSeconds)),
  };
}

/**
 * The DNS front: the global PRIMARY record aliases the primary Region's failover record with
 * target-health evaluation, so it turns unhealthy when that record has no healthy tier, and
 * Route 53 then answers with the secondary Region's record. A Region loss takes both tiers at
 * once, and both tiers' checks follow the same settings (`TierOptions` apply to both), so the
 * detection is the Regional one; the answer is served as the aliased record is, with its TTL.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-complex-configs.html
 *
 * @param regional the primary Region's own failover budget
 */
export function dnsFrontBudget(regional: FailoverBudget): GlobalFailoverBudget {
  return globalBudget([regional.httpsCheck, regional.capacityAlarm], regional.recordTtlSeconds, regional.assumptions);
}

/**
 * The accelerator front: Global Accelerator reads each load balancer's health from its target
 * groups (not from Route 53 or the capacity alarm), and moves new connections to the other
 * endpoint group once no endpoint of the primary's is healthy: the target group's health checks,
 * then Global Accelerator's reaction (assumed). No DNS step: the global name's answer, the static
 * IPs, does not change.
 * https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoint-groups.html
 *
 * @param regional the primary Region's own failover budget, whose capacity path starts with the
 * target group's health checks
 */
export function acceleratorFrontBudget(regional: FailoverBudget): GlobalFailoverBudget {
  const targetGroup = regional.capacityAlarm.detectionSteps.find((s) => s.name === TARGET_GROUP_STEP);
  if (targetGroup === undefined) {
    throw new Error(
      `The global failover budget needs the primary Region's budget to have a '${TARGET_GROUP_STEP}' step, got: ${regional.capacityAlarm.detectionSteps.map((s) => s.name).join(', ')}`,
    );
  }
  const loadBalancerHealth = path(
    'Load balancer health',
    [targetGroup, assumed('Global Accelerator moves new connections', GLOBAL_ACCELERATOR_REACTION)],
    [],
  );
  return globalBudget([loadBalancerHealth], 0, [GLOBAL_ACCELERATOR_REACTION]);
}

/**
 * Throws when `maxFailoverTime` of a `GlobalFailover` is shorter than the global budget's worst
 * case, naming the slowest path and its steps. Tokens and `undefined` pass.
 *
 * @param maxFailoverTime the longest failover between the Regions the user accepts
 * @param budget the global budget
 * @param front the front's name, for the message
 */
export function validateGlobalMaxFailoverTime(
  maxFailoverTime: Duration | undefined,
  budget: GlobalFailoverBudget,
  front: string,
): void {
  const limit = limitBelow(maxFailoverTime, budget.worstCaseSeconds);
  if (limit === undefined) {
    return;
  }
  const slowest = budget.paths.reduce((a, b) => (b.worstCaseSeconds > a.worstCaseSeconds ? b : a));
  const steps = [...slowest.detectionSteps, ...slowest.dnsSteps]
    .map((s) => `${s.name} ${s.worstCaseSeconds} s${s.assumption === undefined ? '' : ' (assumed)'}`)
    .join(' + ');
  throw new Error(
    `\`maxFailoverTime\` must be at least the worst case of the global failover budget with ${front}, ${budget.worstCaseSeconds} seconds ` +
      `(${slowest.name.toLowerCase()}: ${steps}): shorten the primary Region's failover (its own \`maxFailoverTime\` names what to change), got: ${limit} seconds`,
  );
}

/** `maxFailoverTime` in seconds when it is concrete and shorter than the worst case; otherwise undefined. */
function limitBelow(maxFailoverTime: Duration | undefined, worstCaseSeconds: number): number | undefined {
  if (maxFailoverTime === undefined || maxFailoverTime.isUnresolved()) {
    return undefined;
  }
  const limit = maxFailoverTime.toMilliseconds({ integral: false }) / 1000;
  return limit >= worstCaseSeconds ? undefined : limit;
}
